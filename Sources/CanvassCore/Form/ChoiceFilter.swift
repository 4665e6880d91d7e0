/// XLSForm's `choice_filter` names the choices sheet's columns bare (`province = ${province}`).
///
/// Rewriting those bare names into references with a reserved prefix lets the one expression engine
/// evaluate filters: the caller answers `${__choice__province}` from the choice being tested.
public enum ChoiceFilter {
    public static let prefix = "__choice__"

    public static func rewrite(_ source: String) -> String {
        var result = ""
        let characters = Array(source)
        var i = 0
        var previousSignificant: Character? = nil
        while i < characters.count {
            let c = characters[i]
            if c == "'" || c == "\"" || c == "‘" || c == "’" || c == "“" || c == "”" {
                let closing: Set<Character> = c == "'" || c == "‘" || c == "’" ? ["'", "‘", "’"] : ["\"", "“", "”"]
                var j = i + 1
                while j < characters.count, !closing.contains(characters[j]) { j += 1 }
                result += String(characters[i..<min(j + 1, characters.count)])
                i = j + 1
                previousSignificant = c
                continue
            }
            if c == "$", i + 1 < characters.count, characters[i + 1] == "{" {
                var j = i
                while j < characters.count, characters[j] != "}" { j += 1 }
                result += String(characters[i..<min(j + 1, characters.count)])
                i = j + 1
                previousSignificant = "}"
                continue
            }
            if c.isLetter || c == "_" {
                var j = i
                while j < characters.count, characters[j].isLetter || characters[j].isNumber || "_-.:".contains(characters[j]) { j += 1 }
                let word = String(characters[i..<j])
                var k = j
                while k < characters.count, characters[k] == " " { k += 1 }
                let isCall = k < characters.count && characters[k] == "("
                let operatorPosition = previousSignificant.map { !"(,=<>!+-*|".contains($0) } ?? false
                let isOperator = ["and", "or", "div", "mod"].contains(word) && operatorPosition
                result += isCall || isOperator ? word : "${\(prefix)\(word)}"
                previousSignificant = word.last
                i = j
                continue
            }
            if !c.isWhitespace { previousSignificant = c }
            result.append(c)
            i += 1
        }
        return result
    }
}
