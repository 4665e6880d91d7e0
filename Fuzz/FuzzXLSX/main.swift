import CanvassCore
import Foundation

/// One input, imported as an `.xlsx` XLSForm (zip, XML, sheets, then FormChecker). An input that
/// starts with "PK" is the workbook itself. Any other input is a list of parts, each a line
/// `==> path` and then the part's bytes, which are zipped (stored, with correct checksums) first:
/// random changes to a real workbook mostly break its deflate data or checksums, so this is how the
/// fuzzer reaches the XML and the import behind them. A `select_one_from_file` gets a small CSV.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let input = Data(bytes: bytes, count: count)
    let workbook = input.starts(with: Array("PK".utf8)) ? input : Zip.stored(Zip.parts(input))
    _ = try? XLSForm.load(workbook, file: "fuzz.xlsx", siblings: { _ in Fixture.sibling })
    return 0
}

enum Fixture {
    static let sibling = Data("name,label\na,A\nb,B\n".utf8)
}

/// A minimal zip writer: stored entries, no extra fields.
enum Zip {
    /// Splits `==> path` lines from the bytes that follow them; bytes before the first such line are ignored.
    static func parts(_ input: Data) -> [(path: String, data: Data)] {
        let marker = Array("\n==> ".utf8)
        let bytes = [UInt8](("\n".utf8)) + [UInt8](input)
        var starts: [Int] = []
        var index = 0
        while index + marker.count <= bytes.count {
            if bytes[index..<(index + marker.count)].elementsEqual(marker) { starts.append(index) }
            index += 1
        }
        var result: [(String, Data)] = []
        for (number, start) in starts.enumerated() {
            let end = number + 1 < starts.count ? starts[number + 1] : bytes.count
            let body = bytes[(start + marker.count)..<end]
            let newline = body.firstIndex(of: 0x0A) ?? body.endIndex
            let path = String(decoding: body[body.startIndex..<newline], as: UTF8.self)
            let data = newline < body.endIndex ? Data(body[(newline + 1)...]) : Data()
            result.append((path, data))
        }
        return result
    }

    /// At most 1000 parts, paths cut at 1000 bytes, so every count fits its field.
    static func stored(_ parts: [(path: String, data: Data)]) -> Data {
        var archive = Data()
        var directory = Data()
        for part in parts.prefix(1000) {
            let name = Data(part.path.utf8.prefix(1000))
            let crc = crc32(part.data)
            let offset = archive.count
            archive.append(le32(0x0403_4B50) + le16(20) + le16(0) + le16(0) + le16(0) + le16(0))
            archive.append(le32(crc) + le32(UInt32(part.data.count)) + le32(UInt32(part.data.count)))
            archive.append(le16(UInt16(name.count)) + le16(0) + name + part.data)
            directory.append(le32(0x0201_4B50) + le16(20) + le16(20) + le16(0) + le16(0) + le16(0) + le16(0))
            directory.append(le32(crc) + le32(UInt32(part.data.count)) + le32(UInt32(part.data.count)))
            directory.append(le16(UInt16(name.count)) + le16(0) + le16(0) + le16(0) + le16(0) + le32(0))
            directory.append(le32(UInt32(offset)) + name)
        }
        let directoryOffset = archive.count
        archive.append(directory)
        archive.append(le32(0x0605_4B50) + le16(0) + le16(0) + le16(UInt16(min(parts.count, 1000))) + le16(UInt16(min(parts.count, 1000))))
        archive.append(le32(UInt32(directory.count)) + le32(UInt32(directoryOffset)) + le16(0))
        return archive
    }

    static func le16(_ value: UInt16) -> Data { Data([UInt8(value & 0xFF), UInt8(value >> 8)]) }

    static func le32(_ value: UInt32) -> Data { le16(UInt16(value & 0xFFFF)) + le16(UInt16(value >> 16)) }

    static let table: [UInt32] = (0..<256).map { n in
        (0..<8).reduce(UInt32(n)) { c, _ in c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
    }

    static func crc32(_ data: Data) -> UInt32 {
        ~data.reduce(~UInt32(0)) { crc, byte in table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
    }
}
