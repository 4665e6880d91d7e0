@testable import CanvassStore
import NIOCore
import Testing

/// COPY's text format as PostgreSQL reads it: the push writes the log's rows in it by hand.
struct CopyTextTests {
    @Test func fieldsAreEscapedAndNumbersAndBytesWrittenInPlace() {
        var text = CopyText()
        text.add([.text("Hà Nội\tphường\\1\nr\r"), .integer(-42), .integer(0), .integer(Int64.min), .integer(Int64.max),
                  .bytes([0x00, 0xff, 0x1a]), .bytes([]), .text(nil), .integer(nil)])
        text.add([.text("")])
        let written = String(decoding: text.buffer.readableBytesView, as: UTF8.self)
        #expect(written == "Hà Nội\\tphường\\\\1\\nr\\r\t-42\t0\t-9223372036854775808\t9223372036854775807\t\\\\x00ff1a\t\\\\x\t\\N\t\\N\n\n")
    }
}
