// Yuedu's service worker: plain JavaScript, no build step. The build writes it to the site's root
// with VERSION (a digest of everything the site is built from) and SHELL (per edition: its index,
// review/ and the files they use) filled in.
//
// Online, every request goes to the network first (revalidating the HTTP cache), so a new build
// shows on the next visit and old and new files never mix; each answer is kept in this
// version's cache. Offline, the cache answers. Cache names carry the site's base path, so
// several sites on one origin (user.github.io/a/, /b/) never touch each other's caches.
//
// The first visit stays light: installing saves only the page(s) open and, when the page asks,
// the files it has already loaded (revalidated, not downloaded again). The rest of an edition's
// shell (its index, review/ and their files) is saved on the next page the reader opens.
"use strict";
var VERSION = "__VERSION__";
var SHELL = __SHELL__;
var SCOPE = new URL(self.registration.scope).pathname;
var PREFIX = "yuedu " + SCOPE + " ";
var CACHE = PREFIX + VERSION;

var inScope = function (url) {
  var u = new URL(url, self.registration.scope);
  return u.origin === self.location.origin && u.pathname.indexOf(SCOPE) === 0;
};
var key = function (url) {  // one entry per page, whatever its query or fragment
  var u = new URL(url, self.registration.scope);
  return u.origin + u.pathname;
};
var save = function (cache, url, data) {
  return fetch(url, { cache: "no-cache", credentials: "same-origin" }).then(function (response) {
    if (!response.ok || response.type !== "basic") return false;
    data = data && withData(cache, url, response.clone());
    return Promise.all([cache.put(key(url), response), data]).then(function () { return true; });
  });
};
// An article's glossary entries live in files beside it, fetched when a word is tapped: an article
// opened while this worker is in control, or saved with "Save all articles for offline", keeps
// them too (those already in this version's cache are not fetched again). The first page, opened
// before the worker took control, fetches them as the reader taps (its load stays light).
var GLOSS = /<script type="application\/json" id="gloss-data" data-src="([^"]*)" data-n="(\d+)">([\s\S]*?)<\/script>/;
var withData = function (cache, url, response) {
  if (!/text\/html/.test(response.headers.get("content-type") || "")) return Promise.resolve();
  return response.text().then(function (html) {
    var m = GLOSS.exec(html), per = m ? +m[2] : 0, words = 0, files = [];
    try { words = per ? JSON.parse(m[3]).length : 0; } catch (e) { words = 0; }
    for (var k = 0; k * per < words; k++) files.push(new URL(m[1] + k + ".json", url).href);
    return Promise.all(files.map(function (file) {
      return cache.match(key(file)).then(function (hit) { return hit || save(cache, file, false); });
    }));
  });
};
// Save ``url`` unless this version has it (with ``data``, also its glossary files).
var ensure = function (cache, url, data) {
  return cache.match(key(url)).then(function (hit) {
    if (!hit) return save(cache, url, data);
    return data ? withData(cache, url, hit).then(function () { return true; }) : true;
  });
};
// The shell of the edition ``url`` belongs to (the longest edition prefix it starts with).
var shellOf = function (url) {
  var path = new URL(url, self.registration.scope).pathname.slice(SCOPE.length), best = null;
  Object.keys(SHELL).forEach(function (prefix) {
    if (path.indexOf(prefix) === 0 && (best === null || prefix.length > best.length)) best = prefix;
  });
  return best === null ? [] : SHELL[best];
};
var fillShell = function (cache, url) {
  return Promise.all(shellOf(url).map(function (path) {
    return ensure(cache, new URL(path, self.registration.scope).href, false).catch(function () { return false; });
  }));
};
var ours = function () {
  return caches.keys().then(function (names) {
    return names.filter(function (n) { return n.indexOf(PREFIX) === 0 && n !== CACHE; });
  });
};

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    // The pages open now were loaded before this worker: saved before it is ready.
    return self.clients.matchAll({ includeUncontrolled: true, type: "window" })
      .then(function (open) {
        return Promise.all(open.filter(function (c) { return inScope(c.url); }).map(function (c) {
          return ensure(cache, c.url, false).catch(function () {});
        }));
      })
      // Pages saved by the previous version are fetched again from this build.
      .then(ours).then(function (names) {
        return Promise.all(names.map(function (name) {
          return caches.open(name).then(function (old) { return old.keys(); }).then(function (requests) {
            return Promise.all(requests.map(function (r) {
              return cache.match(key(r.url)).then(function (hit) { return hit || save(cache, r.url).catch(function () {}); });
            }));
          });
        }));
      });
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(ours().then(function (names) {
    return Promise.all(names.map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  // Media ranges (audio) go to the network as they are.
  if (request.method !== "GET" || !inScope(request.url) || request.headers.has("range")) return;
  event.respondWith(fetch(request.url, { cache: "no-cache", credentials: "same-origin" }).then(function (response) {
    if (response.redirected && request.mode === "navigate") return Response.redirect(response.url, 302);
    if (response.ok && response.type === "basic") {
      var copy = response.clone(), page = request.mode === "navigate" ? response.clone() : null;
      event.waitUntil(caches.open(CACHE).then(function (cache) {
        // A page opened under this worker's control (the reader's second page, or a later
        // visit): its edition's shell is saved now, if it is not yet.
        return Promise.all([cache.put(key(request.url), copy), page && withData(cache, request.url, page)])
          .then(function () { return page && fillShell(cache, request.url); });
      }).catch(function () {}));
    }
    return response;
  }, function () {
    return caches.open(CACHE).then(function (cache) { return cache.match(key(request.url)); }).then(function (hit) {
      return hit || new Response("Offline, and this page was not saved for offline reading.",
        { status: 503, headers: { "Content-Type": "text/plain; charset=utf-8" } });
    });
  }));
});

// A page asks for URLs to be saved: the page open before this worker took control and the files
// it loaded (revalidated with the server, so what the browser holds is not downloaded again), or every
// article ("Save all articles for offline"). The answer goes back on the message's port.
self.addEventListener("message", function (event) {
  var urls = (event.data && event.data.cache) || [];
  var port = event.ports && event.ports[0];
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return Promise.all(urls.filter(inScope).map(function (url) {
      return ensure(cache, url, !!event.data.data).catch(function () { return false; });
    }));
  }).then(function (results) {
    if (port) port.postMessage({ ok: results.length > 0 && results.every(Boolean) });
  }));
});
