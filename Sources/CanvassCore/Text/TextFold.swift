import Foundation

/// Matching as a person types on a keyboard without Vietnamese input: "dong anh" finds "Đông Anh".
///
/// Foundation's diacritic folding leaves Đ/đ alone (it is a letter of its own, not D with a mark),
/// so they are mapped here by hand.
public enum TextFold {
    /// Lowercase, without marks, with Đ/đ as d.
    public static func fold(_ text: String) -> String {
        let folded = text.folding(options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive], locale: nil)
        var scalars = String.UnicodeScalarView()
        for scalar in folded.unicodeScalars {
            switch scalar {
            case "đ", "Đ", "ð", "Ð": scalars.append("d")
            default: scalars.append(scalar)
            }
        }
        return String(scalars)
    }

    /// Whether every word of `query` occurs in `folded` (a text already folded), in any order.
    public static func matches(query: String, folded: String) -> Bool {
        let words = fold(query).split(whereSeparator: { $0 == " " || $0 == "," })
        return words.allSatisfy { folded.contains($0) }
    }
}
