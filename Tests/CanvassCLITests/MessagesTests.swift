@testable import CanvassCLI
import Foundation
import Testing

/// The message catalogue: every language has every message, with the same placeholders.
struct MessagesTests {
    static func placeholders(_ text: String) -> Set<String> {
        var found = Set<String>()
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            found.insert(String(rest[open...close]))
            rest = rest[rest.index(after: close)...]
        }
        return found
    }

    @Test(arguments: Array(Messages.tables.keys).sorted())
    func everyLanguageHasEveryMessage(language: String) throws {
        let table = try #require(Messages.tables[language])
        let missing = Message.allCases.filter { table[$0] == nil }
        #expect(missing.isEmpty, "\(language) lacks \(missing.map(\.rawValue))")
        for key in Message.allCases {
            guard let text = table[key], let english = Messages.english[key] else { continue }
            #expect(Self.placeholders(text) == Self.placeholders(english), "\(language).\(key.rawValue) has other placeholders than English")
            #expect(!text.isEmpty)
        }
    }

    @Test func theLanguageComesFromLangThenTheFormThenTheEnvironment() {
        #expect(Messages.choose(lang: "vi", form: nil, environment: ["LANG": "en_US.UTF-8"]).language == "vi")
        #expect(Messages.choose(lang: nil, form: nil, environment: ["LANG": "vi_VN.UTF-8"]).language == "vi")
        #expect(Messages.choose(lang: nil, form: nil, environment: ["LANG": "C.UTF-8"]).language == "en")
        #expect(Messages.choose(lang: "fr", form: nil, environment: ["LANG": "vi_VN"]).language == "vi")
        #expect(Messages.choose(lang: nil, form: nil, environment: [:])(.expected, ["what": "x"]) == "expected x")
    }
}
