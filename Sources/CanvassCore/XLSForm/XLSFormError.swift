import Foundation

/// Why a workbook could not be read or written: not a zip, a hostile entry, XML that does not parse.
///
/// The XLSForm layer turns it into a `FormError` naming the file; the message says what is wrong and,
/// where there is something to do, what to do.
struct XLSXError: Error, Sendable, Equatable, CustomStringConvertible {
    var message: String

    init(_ message: String) {
        self.message = message
    }

    var description: String { message }
}

/// Where a cell or row sits in a workbook, for messages: "survey row 12, column type".
struct XLSFormPlace: Sendable, Hashable {
    var sheet: String
    var row: Int?
    var column: String?

    var description: String {
        var text = sheet
        if let row { text += " row \(row)" }
        if let column { text += ", column \(column)" }
        return text
    }
}
