// The kernel side of the read watcher, in Python because Node has no fcntl(2): it holds a write
// lease (F_SETLEASE) on each decoy, so another process's open() waits in the kernel while this
// helper names it from /proc (wchan = __break_lease), then lets it through (canary.md §2.4). inotify
// (through ctypes) covers what leases cannot: files it may not lease, and opens while a lease is
// being re-armed. It needs only the Python standard library (3.7+).
//
// Never hangs a reader: the hold per open is capped by a timer (holdMs); if the helper dies its
// leases die with it; the Node watcher kills it if it stops answering pings. Protocol: one JSON
// config line on stdin, then "ping" lines; JSON events on stdout, written without ever blocking.
export const HELPER_PY = String.raw`
import ctypes, errno, fcntl, json, os, select, signal, struct, sys, time

IN_OPEN, IN_CLOSE_WRITE, IN_CLOSE_NOWRITE = 0x20, 0x08, 0x10
IN_MOVE_SELF, IN_DELETE_SELF, IN_IGNORED = 0x800, 0x400, 0x8000
MASK = IN_OPEN | IN_CLOSE_WRITE | IN_CLOSE_NOWRITE | IN_MOVE_SELF | IN_DELETE_SELF
ME, PARENT = os.getpid(), os.getppid()
out_q = []


def emit(obj):
    out_q.append((json.dumps(obj) + "\n").encode())
    flush()


def flush():
    while out_q:
        try:
            n = os.write(1, out_q[0])
        except BlockingIOError:
            return
        except OSError:
            os._exit(0)
        if n < len(out_q[0]):
            out_q[0] = out_q[0][n:]
            return
        out_q.pop(0)


def slurp(p):
    try:
        with open(p, "rb") as f:
            return f.read(65536)
    except OSError:
        return None


def describe(pid, depth=8):
    chain = []
    while pid > 0 and len(chain) < depth:
        base = "/proc/%d/" % pid
        status = slurp(base + "status")
        if status is None:
            break
        info = {"pid": pid}
        for line in status.decode("utf-8", "replace").splitlines():
            if line.startswith("PPid:"):
                info["ppid"] = int(line.split()[1])
            elif line.startswith("Uid:"):
                info["uid"] = int(line.split()[1])
        comm = slurp(base + "comm")
        if comm is not None:
            info["comm"] = comm.decode("utf-8", "replace").strip()
        cmd = slurp(base + "cmdline")
        if cmd is not None:
            info["argv"] = [a.decode("utf-8", "replace") for a in cmd.rstrip(b"\0").split(b"\0")] if cmd else []
        for key in ("exe", "cwd"):
            try:
                info[key] = os.readlink(base + key)
            except OSError:
                pass
        chain.append(info)
        pid = info.get("ppid", 0)
    return chain


def env_hints(pid, names):
    data = slurp("/proc/%d/environ" % pid) or b""
    out = {}
    for kv in data.split(b"\0"):
        k, _, v = kv.decode("utf-8", "replace").partition("=")
        if k in names:
            out[k] = v[:200]
    return out


def pids():
    for name in os.listdir("/proc"):
        if name.isdigit() and int(name) not in (ME, PARENT):
            yield name


def waiting(path):
    w = slurp(path)
    return bool(w) and b"break_lease" in w


def scan_blocked(deadline):
    # The threads waiting in __break_lease. Main threads first (one read per process: cat, cp,
    # python); only if none waits, every thread (node's threadpool, rg's workers).
    found = [int(pid) for pid in pids() if time.monotonic() < deadline and waiting("/proc/%s/wchan" % pid)]
    if found:
        return found
    for pid in pids():
        try:
            tids = os.listdir("/proc/%s/task" % pid)
        except OSError:
            continue
        if any(waiting("/proc/%s/task/%s/wchan" % (pid, tid)) for tid in tids if tid != pid):
            found.append(int(pid))
        if time.monotonic() > deadline:
            break
    return found


def names_path(pid, paths):
    # A non-blocking opener is refused at once and never waits: it can only be named by its
    # arguments pointing at the decoy or a directory above it (tar czf x ~/.aws, grep -r k ~).
    cmd = slurp("/proc/%s/cmdline" % pid)
    if not cmd:
        return False
    try:
        cwd = os.readlink("/proc/%s/cwd" % pid)
    except OSError:
        cwd = "/"
    for word in cmd.rstrip(b"\0").split(b"\0")[1:]:
        w = os.path.normpath(os.path.join(cwd, word.decode("utf-8", "replace")))
        if w != "/" and any(w == p or p.startswith(w + "/") for p in paths):
            return True
    return False


def scan_named(paths, deadline):
    named = []
    for pid in pids():
        if names_path(pid, paths):
            chain = describe(int(pid))
            if chain:
                named.append((int(pid), chain))
        if time.monotonic() > deadline:
            break
    return named


def holders(path, deadline):
    found = []
    for pid in pids():
        try:
            fds = os.listdir("/proc/%s/fd" % pid)
        except OSError:
            continue
        for fd in fds:
            try:
                if os.readlink("/proc/%s/fd/%s" % (pid, fd)) == path:
                    found.append(int(pid))
                    break
            except OSError:
                pass
        if time.monotonic() > deadline:
            break
    return found


class Decoy:
    def __init__(self, path):
        self.path, self.fd, self.wd = path, None, None
        self.backend, self.error, self.leased = "none", None, False
        self.retry_at, self.backoff = 0.0, 0.02
        self.expect_opens, self.self_opens = 0, 0


def main():
    line = b""
    while not line.endswith(b"\n"):
        chunk = os.read(0, 65536)
        if not chunk:
            return
        line += chunk
    first, _, rest = line.partition(b"\n")
    inbuf = rest
    cfg = json.loads(first)
    use_lease = cfg.get("lease", True)
    hold = cfg.get("holdMs", 200) / 1000.0
    hint_names = set(cfg.get("envHints", []))
    libc = ctypes.CDLL(None, use_errno=True)
    try:
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG: die with the watcher
    except Exception:
        pass
    os.set_blocking(1, False)
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_r, False)
    os.set_blocking(wake_w, False)
    signal.set_wakeup_fd(wake_w, warn_on_full_buffer=False)
    signal.signal(signal.SIGIO, lambda *_: None)  # the default action would kill us
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    ino = libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
    decoys = [Decoy(p) for p in cfg["paths"]]
    by_wd = {}

    def arm(d):
        now = time.monotonic()
        if d.fd is None:
            try:
                try:
                    d.fd = os.open(d.path, os.O_RDONLY | os.O_NOATIME | os.O_CLOEXEC)
                except PermissionError:
                    d.fd = os.open(d.path, os.O_RDONLY | os.O_CLOEXEC)
                if d.wd is not None:
                    d.self_opens += 1
                d.error = None
            except OSError as e:
                d.error, d.backend, d.retry_at = e.strerror, "none", now + 1.0
                return
        if d.wd is None and ino >= 0:
            wd = libc.inotify_add_watch(ino, d.path.encode(), MASK)
            if wd >= 0:
                d.wd = wd
                by_wd[wd] = d
        if use_lease and not d.leased:
            try:
                fcntl.fcntl(d.fd, fcntl.F_SETLEASE, fcntl.F_WRLCK)
                d.leased, d.backoff, d.retry_at = True, 0.02, 0.0
            except OSError as e:
                if e.errno in (errno.EAGAIN, errno.EBUSY):
                    d.retry_at = now + d.backoff
                    d.backoff = min(d.backoff * 2, 1.0)
                else:
                    d.error, d.retry_at = "lease: " + e.strerror, float("inf")
        d.backend = "lease" if d.leased else ("inotify" if d.wd is not None else "none")

    def release(d, close):
        if d.fd is not None:
            if d.leased:
                try:
                    fcntl.fcntl(d.fd, fcntl.F_SETLEASE, fcntl.F_UNLCK)
                except OSError:
                    pass
            d.leased = False
            if close:
                os.close(d.fd)
                d.fd = None

    def report(d, mechanism, pids_, attribution, **extra):
        readers = [describe(p) for p in pids_]
        envs = [env_hints(p, hint_names) for p in pids_]
        emit(dict({"type": "read", "path": d.path, "mechanism": mechanism, "readers": readers, "env": envs,
                   "attribution": attribution if readers else "none", "time": time.time()}, **extra))

    for d in decoys:
        arm(d)
    emit({"type": "ready", "pid": ME, "backends": {d.path: d.backend for d in decoys},
          "errors": {d.path: d.error for d in decoys if d.error}})

    def on_sigio():
        breaking = []
        for d in decoys:
            if d.leased and d.fd is not None:
                try:
                    target = fcntl.fcntl(d.fd, fcntl.F_GETLEASE)
                except OSError:
                    target = fcntl.F_UNLCK
                if target != fcntl.F_WRLCK:
                    breaking.append((d, target))
        if not breaking:
            return
        start = time.monotonic()
        deadline = start + hold
        found, named = scan_blocked(deadline), []
        if not found:
            # Nobody waits yet, or nobody will: a non-blocking opener (tar, grep -r) was refused.
            # Name what points at the decoy while it may still run, then look for waiters again.
            named = scan_named([d.path for d, _ in breaking], deadline)
        while not found and time.monotonic() + 0.005 < deadline and time.monotonic() - start < 0.03:
            time.sleep(0.005)
            found = scan_blocked(deadline)
        chains = [describe(p) for p in found]
        envs = [env_hints(p, hint_names) for p in found]
        for d, _ in breaking:
            release(d, False)
            d.expect_opens += len(found)
            d.retry_at, d.backoff = time.monotonic() + 0.02, 0.02
        held = round((time.monotonic() - start) * 1000, 2)
        for d, target in breaking:
            if found:
                emit({"type": "read", "path": d.path, "mechanism": "lease", "readers": chains, "env": envs,
                      "attribution": "exact", "write": target == fcntl.F_UNLCK, "ambiguous": len(breaking) > 1,
                      "heldMs": held, "time": time.time()})
            else:
                mine = [(p, c) for p, c in named if len(breaking) == 1 or names_path(p, [d.path])]
                emit({"type": "read", "path": d.path, "mechanism": "lease", "readers": [c for _, c in mine],
                      "env": [env_hints(p, hint_names) for p, _ in mine], "attribution": "likely" if mine else "none",
                      "nonblocking": True, "heldMs": held, "time": time.time()})

    def on_inotify():
        try:
            buf = os.read(ino, 65536)
        except BlockingIOError:
            return
        i = 0
        while i + 16 <= len(buf):
            wd, mask, _cookie, length = struct.unpack_from("iIII", buf, i)
            i += 16 + length
            d = by_wd.get(wd)
            if d is None:
                continue
            if mask & IN_OPEN:
                if d.self_opens > 0:
                    d.self_opens -= 1
                elif d.expect_opens > 0:
                    d.expect_opens -= 1
                else:
                    report(d, "inotify", holders(d.path, time.monotonic() + 0.2), "likely")
            if mask & (IN_CLOSE_WRITE | IN_CLOSE_NOWRITE) and use_lease and not d.leased and d.retry_at != float("inf"):
                d.retry_at = min(d.retry_at or time.monotonic(), time.monotonic())
            if mask & (IN_MOVE_SELF | IN_DELETE_SELF | IN_IGNORED):
                by_wd.pop(wd, None)
                if d.wd is not None and not mask & IN_IGNORED:
                    libc.inotify_rm_watch(ino, d.wd)
                d.wd = None
                release(d, True)
                d.expect_opens, d.self_opens, d.retry_at, d.backend = 0, 0, time.monotonic() + 0.2, "none"
                emit({"type": "changed", "path": d.path, "event": "moved" if mask & IN_MOVE_SELF else "deleted"})

    while not stop:
        now = time.monotonic()
        due = [d.retry_at for d in decoys if d.retry_at and d.retry_at != float("inf")]
        timeout = min(max(0.0, min(due) - now), 1.0) if due else 1.0
        try:
            r, w, _ = select.select([0, wake_r] + ([ino] if ino >= 0 else []), [1] if out_q else [], [], timeout)
        except InterruptedError:
            continue
        if wake_r in r:
            try:
                os.read(wake_r, 512)
            except BlockingIOError:
                pass
            on_sigio()
        if ino in r:
            on_inotify()
        if 0 in r:
            chunk = os.read(0, 65536)
            if not chunk:
                break
            inbuf += chunk
            while b"\n" in inbuf:
                cmd, _, inbuf = inbuf.partition(b"\n")
                if cmd.strip() == b"ping":
                    emit({"type": "pong", "backends": {d.path: d.backend for d in decoys}})
        if w:
            flush()
        now = time.monotonic()
        for d in decoys:
            if d.retry_at and d.retry_at <= now:
                d.retry_at = 0.0
                before = d.backend
                arm(d)
                if d.backend != before:
                    emit({"type": "backend", "path": d.path, "backend": d.backend, "error": d.error})
    for d in decoys:
        release(d, True)
    os.set_blocking(1, True)
    flush()


main()
`;
