import Foundation

/// The terminal, in raw mode, for the full-screen screens (`Screen`): keys one at a time, no
/// echo, and no signals from Ctrl-C, Ctrl-\ or Ctrl-Z (they arrive as keys; the kiosk ignores
/// them). Restored on `close`, and at exit if a command throws.
///
/// This is all the terminal code Canvass has: no package on this machine does it (see README).
final class Terminal {
    private var saved = termios()
    private var decoder = KeyDecoder()
    private var queued: [Key] = []
    private(set) var isOpen = false

    /// Full-screen mode needs a terminal on both sides that can address the cursor: not a pipe,
    /// not `TERM=dumb` (screen readers read a line at a time), and not `CANVASS_LINE=1`.
    static var canRunFullScreen: Bool {
        let environment = ProcessInfo.processInfo.environment
        return isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1 && environment["TERM"] != "dumb"
            && !(environment["TERM"] ?? "").isEmpty && environment["CANVASS_LINE"] != "1"
    }

    init() {}

    func open() {
        guard !isOpen else { return }
        tcgetattr(STDIN_FILENO, &saved)
        var raw = saved
        raw.c_iflag &= ~tcflag_t(IXON | ICRNL | BRKINT | INPCK | ISTRIP)
        raw.c_lflag &= ~tcflag_t(ECHO | ICANON | ISIG | IEXTEN)
        raw.c_cflag |= tcflag_t(CS8)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &raw)
        isOpen = true
        // The alternate screen, cursor hidden: the shell's screen comes back on close.
        write("\u{1B}[?1049h\u{1B}[?25l\u{1B}[2J")
    }

    func close() {
        guard isOpen else { return }
        write("\u{1B}[0m\u{1B}[2J\u{1B}[H\u{1B}[?25h\u{1B}[?1049l")
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved)
        isOpen = false
    }

    deinit { close() }

    /// Columns and rows; 80×24 when the terminal does not say.
    var size: (columns: Int, rows: Int) {
        var window = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &window) == 0, window.ws_col > 0, window.ws_row > 0 {
            return (Int(window.ws_col), Int(window.ws_row))
        }
        return (80, 24)
    }

    func write(_ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { Glibc.write(STDOUT_FILENO, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 { if errno == EINTR || errno == EAGAIN { continue } else { return } }
            offset += written
        }
    }

    enum Event: Equatable {
        case key(Key)
        /// Nothing happened for the time asked (idle), or the window may have changed size.
        case tick
        /// Input ended: the terminal went away.
        case end
    }

    /// The next key, or `.tick` after `timeout` seconds without one. The window's size is read
    /// again on every event, so a resize shows at the next tick (a fifth of a second) at most.
    func next(timeout: TimeInterval) -> Event {
        if !queued.isEmpty { return .key(queued.removeFirst()) }
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let wait = decoder.isWaiting ? 0.03 : min(max(deadline.timeIntervalSinceNow, 0), 0.2)
            var descriptor = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, Int32(wait * 1000))
            if ready > 0 {
                var buffer = [UInt8](repeating: 0, count: 256)
                let count = read(STDIN_FILENO, &buffer, buffer.count)
                if count == 0 { return .end }
                if count < 0 { if errno == EINTR || errno == EAGAIN { continue } else { return .end } }
                queued += decoder.feed(Array(buffer[0..<count]))
            } else if ready == 0, decoder.isWaiting {
                queued += decoder.flush()
            } else if ready < 0, errno != EINTR {
                return .end
            }
            if !queued.isEmpty { return .key(queued.removeFirst()) }
            if ready == 0 { return .tick }
        }
    }
}
