import Foundation

/// Line editing at the prompt (arrows, history) through BSD libedit, loaded at run time.
///
/// libedit is BSD-licensed (GNU readline is GPL) and its runtime library ships with Debian; loading
/// it with dlopen needs no headers at build time, and when it is absent the prompt falls back to
/// plain reading.
final class LineEditor: @unchecked Sendable {
    typealias ReadLine = @convention(c) (UnsafePointer<CChar>?) -> UnsafeMutablePointer<CChar>?
    typealias AddHistory = @convention(c) (UnsafePointer<CChar>?) -> Int32

    private let readline: ReadLine
    private let addHistory: AddHistory?

    static let shared: LineEditor? = {
        // libedit reads multibyte input only under a UTF-8 locale; Swift programs start in "C".
        setlocale(LC_CTYPE, "")
        if String(cString: nl_langinfo(nl_item(CODESET))) != "UTF-8" { setlocale(LC_CTYPE, "C.UTF-8") }
        guard String(cString: nl_langinfo(nl_item(CODESET))) == "UTF-8" else { return nil }
        for name in ["libedit.so.2", "libedit.so", "libedit.dylib"] {
            guard let handle = dlopen(name, RTLD_NOW) else { continue }
            guard let read = dlsym(handle, "readline") else { continue }
            let add = dlsym(handle, "add_history")
            return LineEditor(readline: unsafeBitCast(read, to: ReadLine.self), addHistory: add.map { unsafeBitCast($0, to: AddHistory.self) })
        }
        return nil
    }()

    private init(readline: ReadLine, addHistory: AddHistory?) {
        self.readline = readline
        self.addHistory = addHistory
    }

    /// Reads one line with editing; nil at end of input (Ctrl-D).
    func read(prompt: String) -> String? {
        guard let line = prompt.withCString({ readline($0) }) else { return nil }
        defer { free(line) }
        let text = String(cString: line)
        if !text.trimmingCharacters(in: .whitespaces).isEmpty { _ = addHistory?(line) }
        return text
    }
}
