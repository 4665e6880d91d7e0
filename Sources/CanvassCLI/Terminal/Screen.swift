import Foundation

/// Draws whole frames (one string per row) on the terminal, rewriting only the rows that changed
/// since the last frame: a keystroke redraws a line or two, not the screen. A change of window
/// size redraws everything, cut to the new width.
final class Screen {
    let terminal: Terminal
    private var shown: [String] = []
    private var shownSize = (columns: 0, rows: 0)
    let colour: Bool

    init(terminal: Terminal) {
        self.terminal = terminal
        colour = ProcessInfo.processInfo.environment["NO_COLOR"] == nil
    }

    var size: (columns: Int, rows: Int) { terminal.size }

    /// Draws `frame` (rows past the window's height are dropped) and puts the cursor at
    /// `cursor` (row, column), or hides it.
    func draw(_ frame: [String], cursor: (row: Int, column: Int)? = nil) {
        let size = terminal.size
        var output = "\u{1B}[?25l"
        if size != shownSize {
            output += "\u{1B}[0m\u{1B}[2J"
            shown = []
            shownSize = size
        }
        for row in 0..<size.rows {
            let line = row < frame.count ? Screen.fit(frame[row], width: size.columns) : ""
            if row < shown.count, shown[row] == line { continue }
            output += "\u{1B}[\(row + 1);1H\u{1B}[0m" + line + "\u{1B}[0m\u{1B}[K"
        }
        shown = (0..<size.rows).map { $0 < frame.count ? Screen.fit(frame[$0], width: size.columns) : "" }
        if let cursor {
            output += "\u{1B}[\(min(cursor.row, size.rows - 1) + 1);\(min(cursor.column, size.columns - 1) + 1)H\u{1B}[?25h"
        } else {
            // Every frame ends with the cursor shown or hidden: tools/bench-keying.py waits for it.
            output += "\u{1B}[?25l"
        }
        terminal.write(output)
    }

    /// Forgets what is shown, so the next frame is drawn whole (after something else wrote).
    func invalidate() { shown = [] }

    // MARK: Styles

    func bold(_ text: String) -> String { style(text, "1") }
    func dim(_ text: String) -> String { style(text, "2") }
    func inverse(_ text: String) -> String { "\u{1B}[7m" + text + "\u{1B}[27m" }
    func yellow(_ text: String) -> String { style(text, "33") }
    func red(_ text: String) -> String { style(text, "31") }
    func green(_ text: String) -> String { style(text, "32") }

    /// Highlighting stays without colour (NO_COLOR): inverse video is not colour.
    private func style(_ text: String, _ code: String) -> String {
        colour ? "\u{1B}[\(code)m" + text + "\u{1B}[0m" : text
    }

    // MARK: Width

    /// Columns `text` takes: escape sequences none, East Asian wide characters two, the rest one
    /// (Vietnamese in NFC is one character per column, its marks included).
    static func width(_ text: String) -> Int {
        var width = 0
        var escape = false
        for character in text {
            if escape {
                if let scalar = character.unicodeScalars.first, (0x40...0x7E).contains(scalar.value), character != "[" { escape = false }
                continue
            }
            if character == "\u{1B}" { escape = true; continue }
            width += isWide(character) ? 2 : 1
        }
        return width
    }

    static func isWide(_ character: Character) -> Bool {
        guard let value = character.unicodeScalars.first?.value else { return false }
        return (0x1100...0x115F).contains(value) || (0x2E80...0xA4CF).contains(value) || (0xAC00...0xD7A3).contains(value)
            || (0xF900...0xFAFF).contains(value) || (0xFE30...0xFE4F).contains(value) || (0xFF00...0xFF60).contains(value)
            || (0xFFE0...0xFFE6).contains(value) || (0x1F300...0x1FAFF).contains(value) || (0x20000...0x3FFFD).contains(value)
    }

    /// `text` cut to `width` columns (escape sequences kept, so styles still end).
    static func fit(_ text: String, width: Int) -> String {
        guard Screen.width(text) > width else { return text }
        var result = ""
        var used = 0
        var escape = false
        for character in text {
            if escape {
                result.append(character)
                if let scalar = character.unicodeScalars.first, (0x40...0x7E).contains(scalar.value), character != "[" { escape = false }
                continue
            }
            if character == "\u{1B}" { escape = true; result.append(character); continue }
            let w = isWide(character) ? 2 : 1
            if used + w > width - 1 { result.append("…"); break }
            result.append(character)
            used += w
        }
        return result
    }

    /// `text` padded with spaces to `width` columns (or cut).
    static func pad(_ text: String, _ width: Int) -> String {
        let cut = fit(text, width: width)
        return cut + String(repeating: " ", count: max(0, width - Screen.width(cut)))
    }

    /// `text` broken into lines of at most `width` columns, at spaces where it can.
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = ""
            for word in paragraph.split(separator: " ") {
                let candidate = line.isEmpty ? String(word) : line + " " + word
                if Screen.width(candidate) > width, !line.isEmpty {
                    lines.append(line)
                    line = String(word)
                } else {
                    line = candidate
                }
            }
            lines.append(line)
        }
        return lines
    }
}
