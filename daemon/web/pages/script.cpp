// The script served at /static/otklik.js (the only script: the CSP allows script-src 'self' and
// no inline code). On the inbox's newest page it listens to /events and puts each new alert's row
// (pre-rendered and escaped by the server: render_inbox_row) at the top of the list; the filter
// form drops its empty fields from the query.
#include "daemon/web/pages/pages.hpp"

namespace otklik::web {
namespace {

constexpr std::string_view kScript = R"js('use strict';
(function () {
  // Russian word forms after a number (the same rule as daemon/core/plural.cpp).
  function pluralForm(n, rule) {
    if (rule !== 'ru') return n === 1 ? 'one' : 'many';
    var n10 = n % 10, n100 = n % 100;
    if (n10 === 1 && n100 !== 11) return 'one';
    if (n10 >= 2 && n10 <= 4 && (n100 < 12 || n100 > 14)) return 'few';
    return 'many';
  }

  function startLive() {
    var rows = document.getElementById('inbox-rows');
    var live = document.getElementById('live');
    if (!rows || !live || rows.getAttribute('data-live') !== '1' || !window.EventSource) return;
    var url = live.getAttribute('data-events') || '/events';
    var baseTitle = document.title;
    var status = document.createElement('span');
    var notice = document.createElement('button');
    notice.type = 'button';
    notice.className = 'new link';
    notice.hidden = true;
    live.appendChild(status);
    live.appendChild(notice);
    live.hidden = false;
    var fresh = 0;
    var delay = 1000;
    var source = null;

    function setConnected(connected) {
      live.className = 'live ' + (connected ? 'connected' : 'reconnecting');
      status.textContent = live.getAttribute(connected ? 'data-connected' : 'data-reconnecting') || '';
    }

    function showFresh() {
      if (fresh === 0) {
        notice.hidden = true;
        document.title = baseTitle;
        return;
      }
      var word = live.getAttribute('data-new-' + pluralForm(fresh, live.getAttribute('data-plural'))) || '';
      notice.textContent = fresh + ' ' + word;
      notice.hidden = false;
      // Marks the tab, so that a new alert is noticed from another tab.
      document.title = '(' + fresh + ') ' + baseTitle;
    }

    notice.addEventListener('click', function () {
      fresh = 0;
      var marked = rows.querySelectorAll('tr.is-new');
      for (var i = 0; i < marked.length; i++) marked[i].classList.remove('is-new');
      showFresh();
      window.scrollTo(0, 0);
    });

    function insertRow(event) {
      var data;
      try { data = JSON.parse(event.data); } catch (e) { return; }
      if (!data || typeof data.html !== 'string') return;
      if (data.id !== undefined && document.getElementById('m-' + data.id)) return;
      var template = document.createElement('template');
      template.innerHTML = data.html.trim();
      var row = template.content.firstElementChild;
      if (!row || row.tagName !== 'TR') return;
      row.classList.add('is-new');
      rows.insertBefore(row, rows.firstChild);
      var empty = document.querySelector('p.empty');
      if (empty) empty.hidden = true;
      fresh += 1;
      showFresh();
    }

    function connect() {
      source = new EventSource(url);
      source.addEventListener('open', function () { delay = 1000; setConnected(true); });
      source.addEventListener('alert', insertRow);
      // The page fell behind (more new alerts than the daemon keeps for one page): load it anew.
      source.addEventListener('reload', function () { window.location.reload(); });
      source.addEventListener('error', function () {
        setConnected(false);
        // The browser retries by itself while CONNECTING; once CLOSED (e.g. an HTTP error) we
        // retry with a growing pause.
        if (source.readyState === EventSource.CLOSED) {
          source.close();
          setTimeout(connect, delay);
          delay = Math.min(delay * 2, 30000);
        }
      });
    }

    setConnected(false);
    connect();
  }

  // The filter form leaves out its empty fields: shorter links to share ("/?label=negative").
  function tidyFilters() {
    var form = document.querySelector('form.filters');
    if (!form) return;
    form.addEventListener('submit', function () {
      var fields = form.querySelectorAll('input, select');
      for (var i = 0; i < fields.length; i++) if (fields[i].name && fields[i].value === '') fields[i].disabled = true;
    });
    // Coming back to the page from the history restores it as it was left: enable them again.
    window.addEventListener('pageshow', function () {
      var fields = form.querySelectorAll('input, select');
      for (var i = 0; i < fields.length; i++) fields[i].disabled = false;
    });
  }

  function start() {
    tidyFilters();
    startLive();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
)js";

}  // namespace

std::string_view script() noexcept { return kScript; }

}  // namespace otklik::web
