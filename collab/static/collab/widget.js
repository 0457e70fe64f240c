/*
 * PulseHR collaboration widget: a room's threads, comments, reactions and who is online, kept
 * live over the room's WebSocket. No dependencies; pair it with widget.css.
 *
 *   var widget = PulseCollab.mount(element, {
 *     baseUrl: "https://hr.example.com",    // PulseHR's origin (default: this page's)
 *     roomId: "standup-2025-06-02",
 *     token: "rt_…",                         // a room token minted by your backend
 *     getToken: async () => "rt_…",          // optional: a fresh token when this one expires
 *     userId: "emp_…",                       // optional: the token's user, known before the socket says
 *   });
 *   widget.destroy();
 *
 * Reads go through REST with the room token (`Authorization: Bearer rt_…`), writes too; the
 * socket only pushes changes, applied by id so nothing shows twice. User text is only ever set
 * with textContent. Stable hooks for tests and integrators' CSS: data-testid="collab-widget",
 * "connection-status", "presence-user" (data-user-id), "composer" (new thread), "thread"
 * (data-thread-id, data-resolved), "thread-toggle", "resolve-button", "comment" (data-comment-id),
 * "comment-author", "comment-body", "comment-time", "delete-comment-button", "reaction-button"
 * (data-emoji, aria-pressed), "add-reaction-button", "reply-composer", "error".
 */
(function (global) {
  "use strict";

  var HEARTBEAT_MS = 20000;
  var BACKOFF_MIN_MS = 1000;
  var BACKOFF_MAX_MS = 30000;
  // A gap not filled by `resume` within this long is repaired by reloading the room.
  var GAP_WAIT_MS = 5000;
  var PAGE_LIMIT = 200;
  // GET /v1/users is the whole workspace: page through at most this many pages to name authors.
  var USER_PAGES_MAX = 25;
  var QUICK_EMOJI = ["👍", "🎉", "❤️", "😄", "👀", "🙏"];
  var CLOSE_UNAUTHENTICATED = 4401;

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (name) {
        var value = attrs[name];
        if (value === null || value === undefined || value === false) return;
        if (name === "text") node.textContent = value;
        else if (name === "className") node.className = value;
        else if (name.slice(0, 2) === "on") node.addEventListener(name.slice(2), value);
        else node.setAttribute(name, value === true ? "" : String(value));
      });
    }
    (children || []).forEach(function (child) {
      if (child) node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function randomKey() {
    if (global.crypto && global.crypto.randomUUID) return global.crypto.randomUUID();
    return String(Date.now()) + "-" + Math.random().toString(16).slice(2);
  }

  var uid = 0;
  function nextId(prefix) {
    uid += 1;
    return "pc-" + prefix + "-" + uid;
  }

  // In the reader's time zone and locale, the zone named ("14:05 CET", "Dec 4, 2026, 9:30 AM EST").
  function formatTime(iso) {
    var date = new Date(iso);
    if (isNaN(date.getTime())) return "";
    var sameDay = date.toDateString() === new Date().toDateString();
    var time = { hour: "2-digit", minute: "2-digit", timeZoneName: "short" };
    return sameDay
      ? date.toLocaleTimeString(undefined, time)
      : date.toLocaleString(undefined, Object.assign({ year: "numeric", month: "short", day: "numeric" }, time));
  }

  // A comment's reactions as the API groups them ([{emoji, count, user_ids, reactions: [{id,
  // user_id}]}]), read into emoji -> {count, users, ids: user -> reaction id}.
  function readReactions(raw) {
    var groups = new Map();
    (Array.isArray(raw) ? raw : []).forEach(function (group) {
      var users = new Set(group.user_ids || []);
      var ids = new Map();
      (group.reactions || []).forEach(function (reaction) {
        users.add(reaction.user_id);
        ids.set(reaction.user_id, reaction.id);
      });
      var count = typeof group.count === "number" ? Math.max(group.count, users.size) : users.size;
      if (count > 0) groups.set(group.emoji, { count: count, users: users, ids: ids });
    });
    return groups;
  }

  function ApiError(status, code, message) {
    this.status = status;
    this.code = code;
    this.message = message;
  }

  function Widget(element, options) {
    if (!element) throw new Error("PulseCollab.mount needs an element.");
    if (!options || !options.roomId || !options.token) throw new Error("PulseCollab.mount needs roomId and token.");
    this.element = element;
    this.baseUrl = String(options.baseUrl || global.location.origin).replace(/\/+$/, "");
    this.roomId = String(options.roomId);
    this.token = options.token;
    this.getToken = options.getToken || null;
    this.title = options.title || "Comments";
    this.me = options.userId ? { id: options.userId } : null;

    this.threads = new Map(); // id -> thread (as the API returns it)
    this.comments = new Map(); // id -> comment, reactions read by readReactions
    this.users = new Map(); // id -> {id, name, …}
    this.presence = [];
    this.expanded = new Set(); // resolved threads the reader opened
    this.threadNodes = new Map();

    this.sequence = null; // the last change applied
    this.loading = false;
    this.queued = []; // changes that arrived while loading, or after a gap
    this.gapTimer = null;
    this.socket = null;
    this.attempts = 0;
    this.destroyed = false;

    this.build();
    this.connect();
    // Show the room through REST even if the socket is slow to come up; `ready` reloads anyway.
    var self = this;
    this.firstLoadTimer = setTimeout(function () {
      if (!self.ready && !self.loading) self.load();
    }, 1500);
  }

  Widget.prototype = {
    // --- REST -------------------------------------------------------------------------------

    request: function (method, path, body, retried) {
      var self = this;
      var headers = { Authorization: "Bearer " + this.token, Accept: "application/json" };
      if (body !== undefined) headers["Content-Type"] = "application/json";
      if (method === "POST") headers["Idempotency-Key"] = randomKey();
      return fetch(this.baseUrl + path, {
        method: method,
        headers: headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: "omit",
      }).then(function (response) {
        if (response.status === 401 && self.getToken && !retried) {
          return self.renewToken().then(function () { return self.request(method, path, body, true); });
        }
        if (response.status === 204) return null;
        return response.json().then(
          function (payload) {
            if (response.ok) return payload;
            var error = (payload && payload.error) || {};
            throw new ApiError(response.status, error.code || "error", error.message || response.statusText);
          },
          function () {
            if (response.ok) return null;
            throw new ApiError(response.status, "error", response.statusText || "Request failed.");
          }
        );
      });
    },

    renewToken: function () {
      var self = this;
      if (!this.getToken) return Promise.reject(new ApiError(401, "unauthenticated", "The room token has expired."));
      if (!this.renewing) {
        this.renewing = Promise.resolve(this.getToken()).then(
          function (token) {
            self.renewing = null;
            self.token = token;
            return token;
          },
          function (error) {
            self.renewing = null;
            throw error;
          }
        );
      }
      return this.renewing;
    },

    // Every page of a list endpoint.
    all: function (path) {
      var self = this;
      var rows = [];
      function page(cursor) {
        var url = path + (path.indexOf("?") < 0 ? "?" : "&") + "limit=" + PAGE_LIMIT;
        if (cursor) url += "&cursor=" + encodeURIComponent(cursor);
        return self.request("GET", url).then(function (payload) {
          rows = rows.concat(payload.data || []);
          return payload.next_cursor ? page(payload.next_cursor) : rows;
        });
      }
      return page(null);
    },

    roomPath: function () {
      return "/v1/rooms/" + encodeURIComponent(this.roomId);
    },

    // The room from scratch: its threads, their comments, and the authors' names. Changes pushed
    // meanwhile wait in `queued` and are applied after, in order.
    load: function () {
      var self = this;
      if (this.loading) {
        // The snapshot under way may predate what the caller knows: take another after it.
        this.loadAgain = true;
        return this.loading;
      }
      this.loadAgain = false;
      this.setStatus("loading", "Loading…");
      // The room embeds its first threads with their comments; a bigger room pages through the rest.
      this.loading = this.request("GET", this.roomPath())
        .then(
          function (room) {
            var threads = room.threads || [];
            return threads.length >= room.thread_count ? threads : self.all(self.roomPath() + "/threads");
          },
          function (error) {
            if (error.status === 404) return []; // no thread yet: the room comes into being with its first
            throw error;
          }
        )
        .then(function (threads) {
          self.threads.clear();
          self.comments.clear();
          threads.forEach(function (thread) { self.storeThread(thread); });
          return self.loadUsers();
        })
        .then(function () {
          self.loading = false;
          if (self.loadAgain) return self.load();
          self.showError(null);
          self.render();
          self.setStatus(self.socketReady() ? "live" : "offline", self.socketReady() ? "Live" : "Reconnecting…");
          self.drain();
        })
        .catch(function (error) {
          self.loading = false;
          self.showError("Could not load the comments: " + (error.message || error));
          self.setStatus("offline", "Offline");
        });
      return this.loading;
    },

    // Names for every author, reactor and resolver: pages of GET /v1/users until all are known.
    loadUsers: function () {
      var self = this;
      var wanted = new Set();
      this.comments.forEach(function (comment) {
        wanted.add(comment.author_id);
        comment._reactions.forEach(function (group) { group.users.forEach(function (user) { wanted.add(user); }); });
      });
      this.threads.forEach(function (thread) { if (thread.resolved_by) wanted.add(thread.resolved_by); });
      if (this.me) wanted.add(this.me.id);
      function missing() {
        var count = 0;
        wanted.forEach(function (id) { if (id && !self.users.has(id)) count += 1; });
        return count;
      }
      function page(cursor, pages) {
        if (!missing() || pages >= USER_PAGES_MAX) return null;
        var url = "/v1/users?limit=" + PAGE_LIMIT + (cursor ? "&cursor=" + encodeURIComponent(cursor) : "");
        return self.request("GET", url).then(function (payload) {
          (payload.data || []).forEach(function (user) { self.users.set(user.id, user); });
          return payload.next_cursor ? page(payload.next_cursor, pages + 1) : null;
        });
      }
      return page(null, 0);
    },

    userName: function (id) {
      if (!id) return "";
      var user = this.users.get(id);
      if (user && user.name) return user.name;
      return this.me && this.me.id === id && this.me.name ? this.me.name : "Someone";
    },

    // A thread without the comments some responses embed (those are kept by id, apart).
    storeThread: function (thread) {
      var self = this;
      var stored = Object.assign({}, thread);
      var comments = stored.comments || (stored.comment ? [stored.comment] : []);
      delete stored.comments;
      delete stored.comment;
      this.threads.set(stored.id, stored);
      if (Array.isArray(comments)) comments.forEach(function (comment) { self.storeComment(comment); });
      return stored;
    },

    storeComment: function (comment) {
      var stored = Object.assign({}, comment);
      stored._reactions = readReactions(comment.reactions);
      this.comments.set(comment.id, stored);
      return stored;
    },

    // --- The socket -------------------------------------------------------------------------

    socketUrl: function () {
      return this.baseUrl.replace(/^http/, "ws") + "/v1/realtime";
    },

    socketReady: function () {
      return this.ready === true && this.socket && this.socket.readyState === 1;
    },

    connect: function () {
      var self = this;
      if (this.destroyed) return;
      this.ready = false;
      var socket = new WebSocket(this.socketUrl());
      this.socket = socket;
      socket.onopen = function () {
        var hello = { type: "auth", token: self.token };
        if (self.sequence !== null) hello.last_sequence = self.sequence;
        socket.send(JSON.stringify(hello));
      };
      socket.onmessage = function (event) {
        var message;
        try {
          message = JSON.parse(event.data);
        } catch (error) {
          return;
        }
        self.receive(message);
      };
      socket.onclose = function (event) {
        if (self.socket !== socket) return;
        self.ready = false;
        self.stopHeartbeat();
        if (self.destroyed) return;
        self.setStatus("offline", "Reconnecting…");
        if (event.code === CLOSE_UNAUTHENTICATED) {
          if (!self.getToken) {
            self.setStatus("offline", "Signed out");
            self.showError("The room token was refused or has expired; reload the page.");
            return;
          }
          self.renewToken().then(
            function () { self.reconnectLater(); },
            function () {
              self.showError("Could not renew the room token.");
              self.reconnectLater();
            }
          );
          return;
        }
        self.reconnectLater();
      };
    },

    reconnectLater: function () {
      var self = this;
      if (this.destroyed) return;
      var delay = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * Math.pow(2, this.attempts));
      this.attempts += 1;
      delay = delay / 2 + Math.random() * (delay / 2); // jitter, so a restarted server is not stampeded
      clearTimeout(this.reconnectTimer);
      this.reconnectTimer = setTimeout(function () { self.connect(); }, delay);
    },

    send: function (message) {
      if (this.socket && this.socket.readyState === 1) this.socket.send(JSON.stringify(message));
    },

    startHeartbeat: function () {
      var self = this;
      this.stopHeartbeat();
      this.heartbeat = setInterval(function () { self.send({ type: "ping" }); }, HEARTBEAT_MS);
    },

    stopHeartbeat: function () {
      clearInterval(this.heartbeat);
      this.heartbeat = null;
    },

    receive: function (message) {
      switch (message.type) {
        case "ready":
          this.ready = true;
          this.attempts = 0;
          this.startHeartbeat();
          if (message.user) {
            this.me = Object.assign({}, this.me || {}, message.user);
            this.users.set(message.user.id, Object.assign({}, this.users.get(message.user.id) || {}, message.user));
          }
          this.setPresence(message.presence || []);
          // What was applied before is superseded by the reload; replays that follow `ready`
          // are queued behind it and skipped when the reload already holds them.
          this.sequence = typeof message.sequence === "number" ? message.sequence : 0;
          this.queued = [];
          this.clearGap();
          this.load();
          return;
        case "refetch":
          this.queued = [];
          this.clearGap();
          this.load();
          return;
        case "presence":
          this.setPresence(message.presence || []);
          return;
        case "pong":
          return;
        case "error":
          this.showError(message.message || "The connection reported an error.");
          return;
        default:
          if (typeof message.sequence === "number") this.change(message);
      }
    },

    // One pushed change: applied in sequence order, once. A gap holds later changes back and
    // asks the server for the missing ones.
    change: function (message) {
      this.queued.push(message);
      if (!this.loading) this.drain();
    },

    openGap: function () {
      var self = this;
      this.send({ type: "resume", last_sequence: this.sequence });
      this.gapTimer = setTimeout(function () {
        self.gapTimer = null;
        self.queued = [];
        self.load();
      }, GAP_WAIT_MS);
    },

    clearGap: function () {
      clearTimeout(this.gapTimer);
      this.gapTimer = null;
    },

    // Apply what waited, in order, as far as it runs without a gap; a gap left open asks the
    // server for the missing changes (once) and waits.
    drain: function () {
      var pending = this.queued.sort(function (a, b) { return a.sequence - b.sequence; });
      this.queued = [];
      for (var i = 0; i < pending.length; i += 1) {
        var message = pending[i];
        if (this.sequence !== null && message.sequence <= this.sequence) continue;
        if (this.sequence !== null && message.sequence > this.sequence + 1) {
          this.queued = pending.slice(i);
          if (!this.gapTimer) this.openGap();
          return;
        }
        this.sequence = message.sequence;
        this.apply(message);
      }
      this.clearGap();
    },

    apply: function (message) {
      var data = message.data || {};
      switch (message.type) {
        case "thread.created":
        case "thread.updated":
          this.storeThread(data);
          this.renderThread(data.id);
          this.ensureNames([data.resolved_by]);
          break;
        case "thread.deleted":
          this.forgetThread(data.id);
          break;
        case "comment.created":
        case "comment.edited":
          var isNew = !this.comments.has(data.id);
          this.storeComment(data);
          if (!this.threads.has(data.thread_id)) this.fetchThread(data.thread_id);
          else this.renderThread(data.thread_id);
          this.ensureNames([data.author_id]);
          if (isNew && message.type === "comment.created" && (!this.me || data.author_id !== this.me.id)) {
            this.announce("New comment from " + this.userName(data.author_id) + ": " + (data.body || ""));
          }
          break;
        case "comment.deleted":
          this.comments.delete(data.id);
          this.renderThread(data.thread_id);
          break;
        case "reaction.added":
        case "reaction.removed":
          this.reactionChanged(message.type === "reaction.added", data);
          break;
        default:
          return;
      }
    },

    // A reaction event carries the reaction ({id, comment_id, emoji, user_id}); one person counts once.
    reactionChanged: function (added, data) {
      var comment = this.comments.get(data.comment_id);
      if (!comment) return;
      var group = comment._reactions.get(data.emoji) || { count: 0, users: new Set(), ids: new Map() };
      var had = group.users.has(data.user_id);
      if (added && !had) {
        group.users.add(data.user_id);
        group.count += 1;
      } else if (!added && had) {
        group.users.delete(data.user_id);
        group.count -= 1;
      }
      if (added && data.id) group.ids.set(data.user_id, data.id);
      if (!added) group.ids.delete(data.user_id);
      if (group.count > 0) comment._reactions.set(data.emoji, group);
      else comment._reactions.delete(data.emoji);
      this.ensureNames([data.user_id]);
      this.renderThread(comment.thread_id);
    },

    forgetThread: function (threadId) {
      var self = this;
      this.threads.delete(threadId);
      this.comments.forEach(function (comment, id) {
        if (comment.thread_id === threadId) self.comments.delete(id);
      });
      var node = this.threadNodes.get(threadId);
      if (node) node.remove();
      this.threadNodes.delete(threadId);
      this.renderEmpty();
    },

    // A comment arrived for a thread this client has not seen (its thread.created was missed).
    fetchThread: function (threadId) {
      var self = this;
      this.request("GET", "/v1/threads/" + encodeURIComponent(threadId)).then(
        function (thread) {
          self.storeThread(thread);
          self.renderThread(thread.id);
        },
        function () {}
      );
    },

    // Names of people first seen in a pushed change.
    ensureNames: function (ids) {
      var self = this;
      var unknown = ids.filter(function (id) { return id && !self.users.has(id); });
      if (!unknown.length || this.namesLoading) return;
      this.namesLoading = this.loadUsers().then(
        function () {
          self.namesLoading = null;
          self.render();
        },
        function () { self.namesLoading = null; }
      );
    },

    setPresence: function (entries) {
      var self = this;
      this.presence = entries.slice().sort(function (a, b) { return String(a.name).localeCompare(String(b.name)); });
      this.presence.forEach(function (entry) {
        if (!self.users.has(entry.user_id)) self.users.set(entry.user_id, { id: entry.user_id, name: entry.name });
      });
      this.renderPresence();
    },

    // --- Actions ----------------------------------------------------------------------------

    act: function (promise) {
      var self = this;
      return promise.then(
        function (result) {
          self.showError(null);
          return result;
        },
        function (error) {
          self.showError(error.message || "Something went wrong.");
          throw error;
        }
      );
    },

    startThread: function (body) {
      var self = this;
      var payload = { comment: { body: body } };
      if (this.me) payload.comment.author_id = this.me.id;
      return this.act(this.request("POST", this.roomPath() + "/threads", payload)).then(function (thread) {
        self.renderThread(self.storeThread(thread).id);
      });
    },

    reply: function (threadId, body) {
      var self = this;
      var payload = { body: body };
      if (this.me) payload.author_id = this.me.id;
      var path = "/v1/threads/" + encodeURIComponent(threadId) + "/comments";
      return this.act(this.request("POST", path, payload)).then(function (comment) {
        self.storeComment(comment);
        self.renderThread(threadId);
      });
    },

    setResolved: function (threadId, resolved) {
      var self = this;
      var payload = { resolved: resolved };
      if (resolved && this.me) payload.resolved_by = this.me.id;
      return this.act(this.request("PATCH", "/v1/threads/" + encodeURIComponent(threadId), payload)).then(
        function (thread) {
          if (thread && thread.id) self.storeThread(thread);
          self.renderThread(threadId);
        }
      );
    },

    deleteComment: function (comment) {
      var self = this;
      var path = "/v1/comments/" + encodeURIComponent(comment.id);
      return this.act(alreadyGone(this.request("DELETE", path))).then(function () {
        self.comments.delete(comment.id);
        self.renderThread(comment.thread_id);
      });
    },

    // Adding answers the reaction with its id (the existing one when added before), which is also
    // how removing finds an id this client has not been told.
    toggleReaction: function (comment, emoji) {
      var self = this;
      if (!this.me) return Promise.resolve();
      var me = this.me.id;
      var group = comment._reactions.get(emoji);
      var path = "/v1/comments/" + encodeURIComponent(comment.id) + "/reactions";
      var added = function () { return self.request("POST", path, { emoji: emoji, user_id: me }); };
      if (!(group && group.users.has(me))) {
        return this.act(added()).then(function (reaction) {
          self.reactionChanged(true, Object.assign({ comment_id: comment.id, emoji: emoji, user_id: me }, reaction));
        });
      }
      var known = group.ids.get(me);
      var reactionId = known ? Promise.resolve(known) : added().then(function (reaction) { return reaction.id; });
      return this.act(
        reactionId.then(function (id) {
          return alreadyGone(self.request("DELETE", "/v1/reactions/" + encodeURIComponent(id))).then(function () {
            self.reactionChanged(false, { comment_id: comment.id, emoji: emoji, user_id: me });
          });
        })
      );
    },

    // --- Rendering --------------------------------------------------------------------------

    build: function () {
      var self = this;
      var headingId = nextId("heading");
      this.statusNode = el("span", { className: "pc-status", "data-testid": "connection-status", "data-state": "loading", role: "status", text: "Connecting…" });
      this.presenceList = el("ul", { className: "pc-presence-list", "aria-label": "Online now" });
      this.errorNode = el("p", { className: "pc-error", role: "alert", "data-testid": "error", hidden: true });
      this.liveNode = el("div", { className: "pc-visually-hidden", "aria-live": "polite", "aria-atomic": "true", "data-testid": "announcer" });
      this.threadList = el("ol", { className: "pc-threads", "aria-label": "Threads", "data-testid": "thread-list" });
      this.emptyNode = el("p", { className: "pc-empty", "data-testid": "empty", text: "No comments yet. Start the conversation." });
      var composer = this.composer("composer", "Start a thread", "Comment", function (body) {
        return self.startThread(body);
      });
      this.root = el("section", { className: "pc-widget", "data-testid": "collab-widget", "aria-labelledby": headingId }, [
        el("header", { className: "pc-header" }, [
          el("h2", { className: "pc-title", id: headingId, text: this.title }),
          this.statusNode,
        ]),
        el("div", { className: "pc-presence", "data-testid": "presence" }, [
          el("span", { className: "pc-presence-label", "aria-hidden": "true", text: "Online now" }),
          this.presenceList,
        ]),
        this.errorNode,
        composer,
        this.emptyNode,
        this.threadList,
        this.liveNode,
      ]);
      this.element.replaceChildren(this.root);
    },

    // A labelled textarea and a submit button; Ctrl/Cmd+Enter sends too. `onSend(body)` returns a
    // promise; the text stays put if it fails.
    composer: function (testid, label, buttonText, onSend) {
      var id = nextId("composer");
      var textarea = el("textarea", { id: id, className: "pc-input", rows: 2, required: true, maxlength: 10000 });
      var button = el("button", { type: "submit", className: "pc-button pc-button-primary", text: buttonText });
      var form = el("form", { className: "pc-composer", "data-testid": testid }, [
        el("label", { className: "pc-label", for: id, text: label }),
        textarea,
        el("div", { className: "pc-composer-actions" }, [button]),
      ]);
      textarea.addEventListener("keydown", function (event) {
        if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
          event.preventDefault();
          form.requestSubmit ? form.requestSubmit() : form.dispatchEvent(new Event("submit", { cancelable: true }));
        }
      });
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var body = textarea.value.trim();
        if (!body || button.disabled) return;
        button.disabled = true;
        onSend(body).then(
          function () {
            textarea.value = "";
            button.disabled = false;
            textarea.focus();
          },
          function () { button.disabled = false; }
        );
      });
      return form;
    },

    render: function () {
      var self = this;
      var ids = Array.from(this.threads.keys()).sort();
      this.threadNodes.forEach(function (node, id) {
        if (!self.threads.has(id)) {
          node.remove();
          self.threadNodes.delete(id);
        }
      });
      ids.forEach(function (id) { self.renderThread(id); });
      this.renderPresence();
      this.renderEmpty();
    },

    renderEmpty: function () {
      this.emptyNode.hidden = this.threads.size > 0;
    },

    renderPresence: function () {
      var self = this;
      this.presenceList.replaceChildren.apply(
        this.presenceList,
        this.presence.map(function (entry) {
          var name = entry.name || self.userName(entry.user_id);
          var isMe = self.me && self.me.id === entry.user_id;
          return el("li", { className: "pc-presence-user", "data-testid": "presence-user", "data-user-id": entry.user_id, title: name }, [
            el("span", { className: "pc-avatar", "aria-hidden": "true", text: initials(name) }),
            el("span", { className: "pc-presence-name", text: isMe ? name + " (you)" : name }),
          ]);
        })
      );
    },

    threadComments: function (threadId) {
      var list = [];
      this.comments.forEach(function (comment) { if (comment.thread_id === threadId) list.push(comment); });
      return list.sort(function (a, b) { return a.id < b.id ? -1 : a.id > b.id ? 1 : 0; });
    },

    // (Re)draws one thread in place, keeping its reply composer (and what is typed in it).
    renderThread: function (threadId) {
      var self = this;
      var thread = this.threads.get(threadId);
      if (!thread) return;
      var node = this.threadNodes.get(threadId);
      if (!node) {
        node = el("li", { className: "pc-thread", "data-testid": "thread", "data-thread-id": threadId });
        node._head = el("div", { className: "pc-thread-head" });
        node._comments = el("ol", { className: "pc-comments", "aria-label": "Comments" });
        node._reply = this.composer("reply-composer", "Reply", "Reply", function (body) {
          return self.reply(threadId, body);
        });
        node.append(node._head, node._comments, node._reply);
        this.threadNodes.set(threadId, node);
        this.insertThreadNode(threadId, node);
      }
      var resolved = !!thread.resolved;
      var open = !resolved || this.expanded.has(threadId);
      var comments = this.threadComments(threadId);
      var commentsId = nextId("comments");
      node.setAttribute("data-resolved", resolved ? "true" : "false");
      node.classList.toggle("pc-resolved", resolved);
      node._comments.id = commentsId;
      node._comments.hidden = !open;
      node._reply.hidden = !open || resolved;

      var first = comments[0];
      var summary = first ? first.body : "";
      var head = [];
      if (resolved) {
        head.push(
          el("button", {
            type: "button",
            className: "pc-button pc-toggle",
            "data-testid": "thread-toggle",
            "aria-expanded": open ? "true" : "false",
            "aria-controls": commentsId,
            text: open ? "Hide" : "Show",
            onclick: function () {
              if (self.expanded.has(threadId)) self.expanded.delete(threadId);
              else self.expanded.add(threadId);
              self.renderThread(threadId);
            },
          })
        );
        var by = thread.resolved_by ? " by " + this.userName(thread.resolved_by) : "";
        head.push(el("span", { className: "pc-badge", "data-testid": "resolved-badge", text: "Resolved" + by }));
        if (!open) head.push(el("span", { className: "pc-thread-summary", text: summary }));
      }
      head.push(el("span", { className: "pc-spacer" }));
      head.push(
        el("button", {
          type: "button",
          className: "pc-button",
          "data-testid": "resolve-button",
          "aria-pressed": resolved ? "true" : "false",
          text: resolved ? "Reopen" : "Resolve",
          disabled: !this.me,
          onclick: function (event) {
            event.currentTarget.disabled = true;
            self.setResolved(threadId, !resolved).catch(function () { self.renderThread(threadId); });
          },
        })
      );
      // Redrawing replaces the buttons: keep keyboard focus on the one that was focused.
      var focused = focusSelector(node);
      node._head.replaceChildren.apply(node._head, head);
      node._comments.replaceChildren.apply(
        node._comments,
        comments.map(function (comment) { return self.commentNode(comment); })
      );
      if (focused) {
        var again = node.querySelector(focused);
        if (again && !again.hidden) again.focus();
      }
      this.renderEmpty();
    },

    // Threads in id order (ids are time-ordered), so a new one lands at the end.
    insertThreadNode: function (threadId, node) {
      var after = null;
      var children = this.threadList.children;
      for (var i = 0; i < children.length; i += 1) {
        if (children[i].getAttribute("data-thread-id") > threadId) {
          after = children[i];
          break;
        }
      }
      this.threadList.insertBefore(node, after);
    },

    commentNode: function (comment) {
      var self = this;
      var mine = this.me && comment.author_id === this.me.id;
      var author = this.userName(comment.author_id);
      var meta = [
        el("span", { className: "pc-author", "data-testid": "comment-author", text: author }),
        el("time", { className: "pc-time", "data-testid": "comment-time", datetime: comment.created_at, title: comment.created_at, text: formatTime(comment.created_at) }),
      ];
      if (comment.edited_at) meta.push(el("span", { className: "pc-edited", text: "(edited)" }));
      var actions = [];
      if (mine) {
        actions.push(
          el("button", {
            type: "button",
            className: "pc-button pc-link",
            "data-testid": "delete-comment-button",
            "aria-label": "Delete your comment",
            text: "Delete",
            onclick: function (event) {
              event.currentTarget.disabled = true;
              self.deleteComment(comment).catch(function () { self.renderThread(comment.thread_id); });
            },
          })
        );
      }
      return el("li", { className: "pc-comment", "data-testid": "comment", "data-comment-id": comment.id }, [
        el("div", { className: "pc-comment-meta" }, [
          el("span", { className: "pc-avatar", "aria-hidden": "true", text: initials(author) }),
        ].concat(meta, [el("span", { className: "pc-spacer" })], actions)),
        el("p", { className: "pc-body", "data-testid": "comment-body", text: comment.body }),
        this.reactionsNode(comment),
      ]);
    },

    reactionsNode: function (comment) {
      var self = this;
      var buttons = [];
      comment._reactions.forEach(function (group, emoji) {
        var mine = !!(self.me && group.users.has(self.me.id));
        var names = Array.from(group.users).map(function (id) { return self.userName(id); }).join(", ");
        buttons.push(
          el("button", {
            type: "button",
            className: "pc-reaction",
            "data-testid": "reaction-button",
            "data-emoji": emoji,
            "aria-pressed": mine ? "true" : "false",
            "aria-label": emoji + " " + group.count + (mine ? ", including you" : "") + ". " + (mine ? "Remove" : "Add") + " your reaction",
            title: names,
            disabled: !self.me,
            onclick: function () { self.toggleReaction(comment, emoji).catch(function () {}); },
          }, [
            el("span", { "aria-hidden": "true", text: emoji }),
            el("span", { className: "pc-count", "aria-hidden": "true", text: String(group.count) }),
          ])
        );
      });
      var pickerId = nextId("picker");
      var picker = el("div", { className: "pc-picker", id: pickerId, role: "group", "aria-label": "Add a reaction", hidden: true },
        QUICK_EMOJI.map(function (emoji) {
          return el("button", {
            type: "button",
            className: "pc-reaction pc-pick",
            "data-testid": "pick-reaction",
            "data-emoji": emoji,
            "aria-label": "React with " + emoji,
            text: emoji,
            onclick: function () {
              picker.hidden = true;
              var group = comment._reactions.get(emoji);
              if (group && self.me && group.users.has(self.me.id)) return;
              self.toggleReaction(comment, emoji).catch(function () {});
            },
          });
        })
      );
      var add = el("button", {
        type: "button",
        className: "pc-reaction pc-add-reaction",
        "data-testid": "add-reaction-button",
        "aria-label": "Add a reaction",
        "aria-expanded": "false",
        "aria-controls": pickerId,
        text: "+",
        disabled: !this.me,
        onclick: function () {
          picker.hidden = !picker.hidden;
          add.setAttribute("aria-expanded", picker.hidden ? "false" : "true");
          if (!picker.hidden) picker.querySelector("button").focus();
        },
      });
      picker.addEventListener("keydown", function (event) {
        if (event.key === "Escape") {
          picker.hidden = true;
          add.setAttribute("aria-expanded", "false");
          add.focus();
        }
      });
      return el("div", { className: "pc-reactions", "data-testid": "reactions" }, buttons.concat([add, picker]));
    },

    setStatus: function (state, text) {
      this.statusNode.setAttribute("data-state", state);
      this.statusNode.textContent = text;
    },

    showError: function (text) {
      this.errorNode.hidden = !text;
      this.errorNode.textContent = text || "";
    },

    announce: function (text) {
      this.liveNode.textContent = text.length > 200 ? text.slice(0, 200) + "…" : text;
    },

    destroy: function () {
      this.destroyed = true;
      this.stopHeartbeat();
      this.clearGap();
      clearTimeout(this.reconnectTimer);
      clearTimeout(this.firstLoadTimer);
      if (this.socket) this.socket.close(1000);
      this.socket = null;
      this.element.replaceChildren();
    },
  };

  // A selector finding again, after a redraw, the button inside `container` that has focus.
  function focusSelector(container) {
    var active = document.activeElement;
    if (!active || active.tagName !== "BUTTON" || !container.contains(active)) return null;
    var selector = '[data-testid="' + active.getAttribute("data-testid") + '"]';
    if (active.hasAttribute("data-emoji")) selector += '[data-emoji="' + CSS.escape(active.getAttribute("data-emoji")) + '"]';
    var comment = active.closest("[data-comment-id]");
    if (comment) selector = '[data-comment-id="' + CSS.escape(comment.getAttribute("data-comment-id")) + '"] ' + selector;
    return selector;
  }

  // A DELETE answered 404 found the thing gone already (someone else removed it): what was wanted.
  function alreadyGone(promise) {
    return promise.catch(function (error) {
      if (error && error.status === 404) return null;
      throw error;
    });
  }

  function initials(name) {
    var parts = String(name || "?").trim().split(/\s+/);
    var letters = parts[0].charAt(0) + (parts.length > 1 ? parts[parts.length - 1].charAt(0) : "");
    return letters.toUpperCase();
  }

  global.PulseCollab = {
    mount: function (element, options) {
      var widget = new Widget(element, options);
      return {
        destroy: function () { widget.destroy(); },
        reload: function () { return widget.load(); },
        widget: widget,
      };
    },
  };
})(window);
