# cmake -DOUT=file.cpp -DINPUTS="a.toml;b.toml" -P embed_topics.cmake  (placeholder, see topics.hpp)
file(WRITE "${OUT}" "// generated\n")
