import Foundation

/// A form that cannot be read at all: the message names the file, the line and what to do.
public struct FormError: LocalizedError, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var message: String

    public init(file: String, line: Int? = nil, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String {
        if let line { return "\(file):\(line): \(message)" }
        return "\(file): \(message)"
    }

    public var errorDescription: String? { description }
}
