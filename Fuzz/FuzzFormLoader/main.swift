import CanvassCore
import Foundation

/// One input: loaded as a YAML form and, when it loads, checked with FormChecker.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let yaml = String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    guard let form = try? FormLoader.load(yaml: yaml, file: "fuzz.yaml") else { return 0 }
    _ = FormChecker.check(form)
    return 0
}
