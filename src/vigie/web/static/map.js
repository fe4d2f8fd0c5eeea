/* The events map (/map): Leaflet over the offline world outline, one marker per place, clustered.
 *
 * Everything comes from this server: the outline (/map/world.geojson, Natural Earth), the points (/map.json with
 * the page's filters) and, on a click, the place's events (/events.json). No tile server. Text from the data is
 * only ever set with textContent (never as HTML). The page's Content-Security-Policy allows no inline script.
 */
(function () {
  "use strict";

  var el = document.getElementById("map");
  if (!el || !window.L) {
    return;
  }
  var filters = el.getAttribute("data-filters") || ""; // "?type=PROTEST&..." or ""
  var POPUP_EVENTS = 15;

  var map = L.map(el, {
    minZoom: 1,
    maxZoom: 12,
    zoomSnap: 0.5,
    worldCopyJump: false,
    maxBounds: [[-85, -400], [85, 400]],
    attributionControl: true
  });
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("Outline: Natural Earth · Leaflet");
  map.fitWorld();
  map.setView([25, 10], 2);
  window.vigieMap = map; // for the browser tests

  function query(extra) {
    var params = new URLSearchParams(filters.replace(/^\?/, ""));
    Object.keys(extra).forEach(function (k) {
      params.set(k, extra[k]);
    });
    var s = params.toString();
    return s ? "?" + s : "";
  }

  function node(tag, cls, text) {
    var n = document.createElement(tag);
    if (cls) {
      n.className = cls;
    }
    if (text !== undefined && text !== null) {
      n.textContent = String(text);
    }
    return n;
  }

  function getJSON(url) {
    return fetch(url, { headers: { Accept: "application/json" } }).then(function (r) {
      if (!r.ok) {
        throw new Error(url + ": " + r.status);
      }
      return r.json();
    });
  }

  function dominant(types) {
    var best = null;
    Object.keys(types || {}).forEach(function (t) {
      if (best === null || types[t] > types[best]) {
        best = t;
      }
    });
    return best;
  }

  function size(n) {
    return Math.round(18 + 8 * Math.log10(Math.max(n, 1)) * 2);
  }

  // ---- the world outline, drawn under everything
  getJSON(el.getAttribute("data-world"))
    .then(function (geo) {
      var land = L.geoJSON(geo, {
        interactive: false,
        style: function () {
          return { color: "#9aa5b1", weight: 0.6, fillColor: "#f6f3ec", fillOpacity: 1 };
        }
      });
      land.addTo(map);
      land.bringToBack();
    })
    .catch(function () {
      el.classList.add("no-outline");
    });

  // ---- the points
  function popupFor(p) {
    var box = node("div", "map-popup");
    box.appendChild(node("h3", null, p.name + (p.country ? " (" + p.country + ")" : "")));
    var types = Object.keys(p.types || {}).map(function (t) {
      return t + " " + p.types[t];
    });
    box.appendChild(node("p", "muted", p.n + " event" + (p.n > 1 ? "s" : "") + ": " + types.join(", ")));
    var list = node("ul", "popup-events");
    list.appendChild(node("li", "muted", "loading…"));
    box.appendChild(list);
    var all = node("a", "popup-all", "All " + p.n + " event" + (p.n > 1 ? "s" : "") + " here in the events list");
    all.href = "/events" + query({ place: p.ref });
    box.appendChild(all);
    getJSON("/events.json" + query({ place: p.ref, limit: POPUP_EVENTS }))
      .then(function (page) {
        list.textContent = "";
        page.items.forEach(function (ev) {
          var li = node("li");
          li.appendChild(node("span", "badge t-" + ev.type, ev.type));
          var who = [ev.source, ev.target].filter(Boolean).join(" → ");
          var line = " " + (ev.date || (ev.published || "").slice(0, 10)) + (ev.mode ? " " + ev.mode : "") +
            (who ? ": " + who : "") + " ";
          li.appendChild(document.createTextNode(line));
          var a = node("a", null, "«" + ev.trigger + "»");
          a.href = "/articles/" + encodeURIComponent(ev.article_id) + "#event-" + ev.idx;
          a.title = ev.article_title || ev.article_id;
          li.appendChild(a);
          list.appendChild(li);
        });
        if (page.total > page.items.length) {
          list.appendChild(node("li", "muted", "and " + (page.total - page.items.length) + " more"));
        }
      })
      .catch(function () {
        list.textContent = "";
        list.appendChild(node("li", "muted", "could not load the events"));
      });
    return box;
  }

  var clusters = L.markerClusterGroup({
    showCoverageOnHover: false,
    // pixels: wide groups on the whole world, tighter ones as soon as a continent fills the map
    maxClusterRadius: function (zoom) {
      return zoom <= 1 ? 120 : zoom <= 2 ? 80 : 50;
    },
    spiderfyOnMaxZoom: true,
    iconCreateFunction: function (cluster) {
      var n = 0;
      cluster.getAllChildMarkers().forEach(function (m) {
        n += m.options.events || 0;
      });
      var s = size(n) + 8;
      return L.divIcon({
        html: "<span>" + n + "</span>",
        className: "ev-cluster",
        iconSize: [s, s]
      });
    }
  });

  function legend(points) {
    var totals = {};
    points.forEach(function (p) {
      Object.keys(p.types || {}).forEach(function (t) {
        totals[t] = (totals[t] || 0) + p.types[t];
      });
    });
    var control = L.control({ position: "bottomright" });
    control.onAdd = function () {
      var box = node("div", "map-legend");
      box.appendChild(node("b", null, "Events by type"));
      box.appendChild(node("span", "muted", "a place's colour: its most frequent"));
      Object.keys(totals)
        .sort(function (a, b) {
          return totals[b] - totals[a] || (a < b ? -1 : 1);
        })
        .forEach(function (t) {
          var row = node("div");
          row.appendChild(node("i", "t-" + t));
          row.appendChild(document.createTextNode(t + " " + totals[t]));
          box.appendChild(row);
        });
      var grouped = node("div");
      grouped.appendChild(node("i", "legend-cluster"));
      grouped.appendChild(document.createTextNode("places grouped: zoom or click"));
      box.appendChild(grouped);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    };
    control.addTo(map);
  }

  getJSON(el.getAttribute("data-points"))
    .then(function (data) {
      var located = data.points.filter(function (p) {
        return p.lat !== null && p.lon !== null;
      });
      located.forEach(function (p) {
        var s = size(p.n);
        var marker = L.marker([p.lat, p.lon], {
          events: p.n,
          title: p.name + ": " + p.n + " event" + (p.n > 1 ? "s" : ""),
          icon: L.divIcon({
            html: String(p.n),
            className: "ev-marker t-" + (dominant(p.types) || "other"),
            iconSize: [s, s]
          })
        });
        marker.bindPopup(function () {
          return popupFor(p);
        }, { maxWidth: 340, minWidth: 220 });
        clusters.addLayer(marker);
      });
      map.addLayer(clusters);
      legend(located);
      if (located.length) {
        var bounds = L.latLngBounds(located.map(function (p) {
          return [p.lat, p.lon];
        }));
        map.invalidateSize();
        map.fitBounds(bounds, { padding: [40, 40], maxZoom: 5, animate: false });
      }
      el.setAttribute("data-ready", String(located.length));
    })
    .catch(function () {
      el.setAttribute("data-ready", "error");
    });
})();
