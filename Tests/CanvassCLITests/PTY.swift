import Foundation
import Testing

/// Runs the built `canvass` in a real pseudo-terminal, as a clerk or respondent at a keyboard
/// would, and keeps the screen it draws (`VirtualScreen`) to check. The child is a session leader
/// with the terminal as its controlling terminal, so Ctrl-C and resizing behave as on a console.
final class PTY {
    let master: Int32
    let pid: pid_t
    var screen: VirtualScreen
    /// Everything read, for failure messages.
    var transcript = ""

    init(_ arguments: [String], in directory: URL, columns: Int = 100, rows: Int = 30, environment: [String: String] = [:]) throws {
        master = PTY.libc.openpt(O_RDWR | O_NOCTTY)
        var name = [CChar](repeating: 0, count: 128)
        guard master >= 0, PTY.libc.grantpt(master) == 0, PTY.libc.unlockpt(master) == 0, PTY.libc.ptsname(master, &name, name.count) == 0 else {
            throw PTYError("cannot open a pseudo-terminal: \(String(cString: strerror(errno)))")
        }
        let slave = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        screen = VirtualScreen(columns: columns, rows: rows)
        var size = winsize(ws_row: UInt16(rows), ws_col: UInt16(columns), ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(master, UInt(TIOCSWINSZ), &size)

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // Opened after setsid, without O_NOCTTY: the terminal becomes the child's controlling one.
        posix_spawn_file_actions_addopen(&actions, 0, slave, O_RDWR, 0)
        posix_spawn_file_actions_adddup2(&actions, 0, 1)
        posix_spawn_file_actions_adddup2(&actions, 0, 2)
        posix_spawn_file_actions_addclose(&actions, master)
        // In the child only: tests run in parallel, and the working directory is the process's.
        _ = directory.path.withCString { PTY.libc.addchdir(&actions, $0) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(0x80))  // POSIX_SPAWN_SETSID
        var env = ProcessInfo.processInfo.environment
        env["TERM"] = "xterm-256color"
        env["NO_COLOR"] = "1"
        env["CANVASS_NOW"] = "2026-03-01T08:00:00Z"
        env.removeValue(forKey: "CANVASS_LINE")
        env.merge(environment) { _, new in new }
        let argv = [CLI.binary.path] + arguments
        let envp = env.map { "\($0.key)=\($0.value)" }
        var child: pid_t = 0
        let status = withCStrings(argv) { cArgv in withCStrings(envp) { cEnv in posix_spawn(&child, argv[0], &actions, &attributes, cArgv, cEnv) } }
        guard status == 0 else { throw PTYError("cannot start canvass: \(String(cString: strerror(status)))") }
        pid = child
    }

    /// Swift's Glibc module leaves out the pseudo-terminal calls (they need _XOPEN_SOURCE); they
    /// are looked up in the C library itself.
    struct LibC {
        let openpt: @convention(c) (Int32) -> Int32
        let grantpt: @convention(c) (Int32) -> Int32
        let unlockpt: @convention(c) (Int32) -> Int32
        let ptsname: @convention(c) (Int32, UnsafeMutablePointer<CChar>, Int) -> Int32
        let addchdir: @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
    }

    static let libc: LibC = {
        func symbol<T>(_ name: String, _ type: T.Type) -> T {
            guard let pointer = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else { fatalError("libc lacks \(name)") }
            return unsafeBitCast(pointer, to: type)
        }
        return LibC(openpt: symbol("posix_openpt", (@convention(c) (Int32) -> Int32).self),
                    grantpt: symbol("grantpt", (@convention(c) (Int32) -> Int32).self),
                    unlockpt: symbol("unlockpt", (@convention(c) (Int32) -> Int32).self),
                    ptsname: symbol("ptsname_r", (@convention(c) (Int32, UnsafeMutablePointer<CChar>, Int) -> Int32).self),
                    addchdir: symbol("posix_spawn_file_actions_addchdir_np",
                                     (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32).self))
    }()

    deinit {
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        close(master)
    }

    func send(_ text: String) {
        var bytes = Array(text.utf8)
        _ = write(master, &bytes, bytes.count)
    }

    /// Sends keys one at a time, waiting for each to be drawn (the screen to change or settle).
    func type(_ keys: [String]) throws {
        for key in keys {
            send(key)
            _ = read(for: 0.02)
        }
    }

    /// Reads whatever arrives within `seconds`; returns whether anything did.
    @discardableResult
    func read(for seconds: TimeInterval) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        var got = false
        while true {
            let wait = deadline.timeIntervalSinceNow
            if wait <= 0 { return got }
            var descriptor = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, Int32(wait * 1000) + 1) > 0 else { return got }
            var buffer = [UInt8](repeating: 0, count: 65536)
            let count = Glibc.read(master, &buffer, buffer.count)
            guard count > 0 else { return got }
            let bytes = Array(buffer[0..<count])
            screen.feed(bytes)
            transcript += String(decoding: bytes, as: UTF8.self)
            got = true
        }
    }

    /// Waits until the screen shows `text` (or `timeout` passes, which fails the test).
    func wait(for text: String, timeout: TimeInterval = 10, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while !screen.text.contains(text) {
            guard Date() < deadline else {
                Issue.record("the screen never showed '\(text)'; it shows:\n\(screen.text)", sourceLocation: sourceLocation)
                throw PTYError("timed out")
            }
            read(for: 0.05)
        }
    }

    /// Waits for the program to exit; its exit status.
    func exit(timeout: TimeInterval = 10) throws -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        var status: Int32 = 0
        while waitpid(pid, &status, WNOHANG) == 0 {
            guard Date() < deadline else { throw PTYError("canvass did not exit; the screen shows:\n\(screen.text)") }
            read(for: 0.05)
        }
        read(for: 0.05)
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }

    var isRunning: Bool {
        var status: Int32 = 0
        return waitpid(pid, &status, WNOHANG) == 0
    }

    func resize(columns: Int, rows: Int) {
        var size = winsize(ws_row: UInt16(rows), ws_col: UInt16(columns), ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(master, UInt(TIOCSWINSZ), &size)
        screen.resize(columns: columns, rows: rows)
    }

    static let enter = "\r", up = "\u{1B}[A", down = "\u{1B}[B", escape = "\u{1B}", f12 = "\u{1B}[24~"
}

struct PTYError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

private func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> R) -> R {
    let pointers = strings.map { strdup($0) } + [nil]
    defer { for pointer in pointers { free(pointer) } }
    return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}

/// Enough of a VT100 to keep what a full-screen program shows: printing, carriage return and line
/// feed, cursor addressing and moves, erasing screen and line. Styles are ignored.
struct VirtualScreen {
    var columns: Int
    var rows: Int
    var cells: [[Character]]
    var row = 0, column = 0
    private var pending: [UInt8] = []

    init(columns: Int, rows: Int) {
        self.columns = columns
        self.rows = rows
        cells = Array(repeating: Array(repeating: " ", count: columns), count: rows)
    }

    mutating func resize(columns: Int, rows: Int) {
        self.columns = columns
        self.rows = rows
        cells = Array(repeating: Array(repeating: " ", count: columns), count: rows)
        row = min(row, rows - 1)
        column = min(column, columns - 1)
    }

    var lines: [String] { cells.map { String($0).replacingOccurrences(of: "\u{0}", with: "").trimmingCharacters(in: .whitespaces) } }
    var text: String { lines.joined(separator: "\n") }

    mutating func feed(_ bytes: [UInt8]) {
        pending += bytes
        var index = 0
        while index < pending.count {
            let byte = pending[index]
            if byte == 0x1B {
                guard index + 1 < pending.count else { break }
                if pending[index + 1] == UInt8(ascii: "[") {
                    var end = index + 2
                    while end < pending.count, !(0x40...0x7E).contains(pending[end]) { end += 1 }
                    guard end < pending.count else { break }
                    csi(String(decoding: pending[(index + 2)..<end], as: UTF8.self), pending[end])
                    index = end + 1
                } else {
                    index += 2
                }
                continue
            }
            if byte == 0x0D { column = 0; index += 1; continue }
            if byte == 0x0A { lineFeed(); index += 1; continue }
            if byte == 0x08 { column = max(0, column - 1); index += 1; continue }
            if byte < 0x20 { index += 1; continue }
            let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1
            guard index + length <= pending.count else { break }
            for character in String(decoding: pending[index..<(index + length)], as: UTF8.self) { put(character) }
            index += length
        }
        pending.removeFirst(index)
    }

    mutating func put(_ character: Character) {
        if character.unicodeScalars.allSatisfy({ $0.properties.generalCategory == .nonspacingMark }), column > 0 {
            // A combining mark joins the character before it.
            var previous = String(cells[row][column - 1])
            previous.append(character)
            cells[row][column - 1] = Character(previous)
            return
        }
        if column >= columns { column = 0; lineFeed() }
        cells[row][column] = character
        column += 1
    }

    mutating func lineFeed() {
        if row == rows - 1 {
            cells.removeFirst()
            cells.append(Array(repeating: " ", count: columns))
        } else {
            row += 1
        }
    }

    mutating func csi(_ parameters: String, _ final: UInt8) {
        let numbers = parameters.split(separator: ";", omittingEmptySubsequences: false).map { Int($0.filter(\.isNumber)) }
        func number(_ i: Int, _ fallback: Int) -> Int { i < numbers.count ? (numbers[i] ?? fallback) : fallback }
        switch final {
        case UInt8(ascii: "H"), UInt8(ascii: "f"):
            row = max(0, min(rows - 1, number(0, 1) - 1))
            column = max(0, min(columns - 1, number(1, 1) - 1))
        case UInt8(ascii: "A"): row = max(0, row - number(0, 1))
        case UInt8(ascii: "B"): row = min(rows - 1, row + number(0, 1))
        case UInt8(ascii: "C"): column = min(columns - 1, column + number(0, 1))
        case UInt8(ascii: "D"): column = max(0, column - number(0, 1))
        case UInt8(ascii: "J"):
            if number(0, 0) == 2 || number(0, 0) == 3 {
                cells = Array(repeating: Array(repeating: " ", count: columns), count: rows)
            } else {
                for c in column..<columns { cells[row][c] = " " }
                for r in (row + 1)..<rows { cells[r] = Array(repeating: " ", count: columns) }
            }
        case UInt8(ascii: "K"):
            for c in column..<columns { cells[row][c] = " " }
        case UInt8(ascii: "h"), UInt8(ascii: "l"):
            if parameters == "?1049" { cells = Array(repeating: Array(repeating: " ", count: columns), count: rows) }
        default: break
        }
    }
}
