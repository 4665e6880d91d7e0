import Crypto
import Foundation

/// Number <-> text the way JavaRosa does it, so results and comparisons match ODK Collect.
enum ExpressionNumberText {
    /// JavaRosa toNumeric(String): ',' reads as '.', surrounding spaces are ignored, only '-', '.' and ASCII digits
    /// are allowed (no '+', no exponent); anything else, including "", is NaN.
    static func parse(_ text: String) -> Double {
        // The common case (plain digits, as stored answers are) without building new strings: this runs
        // for every comparison of every answer in `validate`.
        if !text.isEmpty, text.utf8.count < 20, text.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || $0 == 45 || $0 == 46 }) {
            return Double(text) ?? .nan
        }
        let replaced = String(text.map { $0 == "," ? "." : $0 })
        let trimmed = javaTrim(replaced)
        guard !trimmed.isEmpty,
              trimmed.unicodeScalars.allSatisfy({ $0 == "-" || $0 == "." || ("0"..."9").contains($0) })
        else { return .nan }
        return Double(trimmed) ?? .nan
    }

    /// Java's String.trim: drops leading and trailing characters at or below U+0020.
    static func javaTrim(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { $0.value > 0x20 }),
              let last = scalars.lastIndex(where: { $0.value > 0x20 })
        else { return "" }
        return String(scalars[first...last])
    }

    /// JavaRosa toString(Double): within 1e-12 of an integer in Java's int range prints the integer
    /// ("10", "110" for 110.00000000000001); otherwise Java's Double.toString ("0.1", "1.5",
    /// "1.23456789E7", "1.0E-4", and "3.0E9" for an integer beyond the int range).
    static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        if abs(value) < 1e-12 { return "0" }
        let whole = max(min(value, 2_147_483_647), -2_147_483_648).rounded(.towardZero)
        if abs(value - whole) < 1e-12 { return String(Int64(whole)) }
        return javaDoubleString(value)
    }

    /// Java's Double.toString, zero included ("0.0", "10.0", "1.0E-5").
    static func javaDouble(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        if value == 0 { return value.sign == .minus ? "-0.0" : "0.0" }
        return javaDoubleString(value)
    }

    /// Java's Double.toString layout over Swift's shortest round-trip digits.
    static func javaDoubleString(_ value: Double) -> String {
        let sign = value < 0 ? "-" : ""
        let (digits, point) = decimalDigits(abs(value))
        let magnitude = abs(value)
        if magnitude >= 1e-3 && magnitude < 1e7 {
            if point <= 0 {
                return sign + "0." + String(repeating: "0", count: -point) + digits
            }
            let padded = digits + String(repeating: "0", count: max(point - digits.count, 0))
            let integerPart = padded.prefix(point)
            let fraction = padded.dropFirst(point)
            return sign + integerPart + "." + (fraction.isEmpty ? "0" : fraction)
        }
        let fraction = digits.dropFirst()
        return sign + String(digits.prefix(1)) + "." + (fraction.isEmpty ? "0" : fraction) + "E\(point - 1)"
    }

    /// Shortest round-trip digits of a finite non-negative value, without leading/trailing zeros, and the position
    /// of the decimal point: value = 0.DIGITS × 10^point.
    static func decimalDigits(_ value: Double) -> (digits: String, point: Int) {
        let text = "\(value)"  // e.g. "1.2345", "1e-05", "1.5e+20"
        let parts = text.lowercased().split(separator: "e", maxSplits: 1)
        let mantissa = parts.first.map(String.init) ?? "0"
        let exponent = parts.count > 1 ? Int(parts[1].replacingOccurrences(of: "+", with: "")) ?? 0 : 0
        let pieces = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        let integerPart = pieces.first.map(String.init) ?? ""
        let fractionPart = pieces.count > 1 ? String(pieces[1]) : ""
        var digits = integerPart + fractionPart
        var point = integerPart.count + exponent
        while digits.first == "0" {
            digits.removeFirst()
            point -= 1
        }
        while digits.last == "0" { digits.removeLast() }
        if digits.isEmpty { return ("0", 1) }
        return (digits, point)
    }

    /// JavaRosa round(x, places): places ≥ 0 rounds the decimal text of x half up for positive x and half down for
    /// negative x (BigDecimal HALF_UP / HALF_DOWN), so round(1.005, 2) is 1.01 and round(-1.235, 2) is -1.23.
    /// Negative places scale, add 0.5 and truncate, as JavaRosa does. Beyond ±30 places is NaN.
    static func round(_ value: Double, places: Double) -> Double {
        if value.isInfinite { return value }
        if value.isNaN || places.isNaN { return .nan }
        let places = Int(max(min(places, 1e6), -1e6).rounded(.towardZero))
        if places > 30 || places < -30 { return .nan }
        if places < 0 {
            let scaled = value * pow(10, Double(places))
            return (scaled + 0.5).rounded(.towardZero) / pow(10, Double(places))
        }
        return fastRound(value, places: places) ?? decimalRound(value, places: places)
    }

    /// The common case without the decimal text: when x·10^places is an exact-enough double and
    /// clearly not near a half, rounding it and dividing gives the same double as `decimalRound`
    /// (both are the double nearest to the same decimal). nil when it cannot be sure.
    static func fastRound(_ value: Double, places: Int) -> Double? {
        guard places <= 15 else { return nil }
        if value == 0 { return value }  // keeps the sign of a zero, as the decimal method does
        let scale = pow(10, Double(places))
        let scaled = abs(value) * scale
        guard scaled < 4.5e15 else { return nil }
        let fraction = scaled - scaled.rounded(.down)
        // Both x and x·10^places carry rounding error of a few units in the last place of `scaled`.
        guard abs(fraction - 0.5) > max(1e-6, 4 * scaled.ulp) else { return nil }
        let result = scaled.rounded(.toNearestOrAwayFromZero) / scale
        return value < 0 ? -result : result
    }

    /// Rounds the shortest decimal text of `value` (places ≥ 0), digit by digit.
    static func decimalRound(_ value: Double, places: Int) -> Double {
        let negative = value < 0
        let (digits, point) = decimalDigits(abs(value))
        let keep = point + places
        let digitValues = digits.compactMap(\.wholeNumberValue)
        if keep >= digitValues.count { return value }
        if keep < 0 { return negative ? -0.0 : 0 }
        let first = digitValues[keep]
        let restNonZero = digitValues[(keep + 1)...].contains { $0 != 0 }
        let roundUp = first > 5 || (first == 5 && (restNonZero || !negative))
        var kept = Array(digitValues[..<keep])
        var newPoint = point
        if roundUp {
            var index = kept.count - 1
            while index >= 0 && kept[index] == 9 {
                kept[index] = 0
                index -= 1
            }
            if index >= 0 {
                kept[index] += 1
            } else {
                kept.insert(1, at: 0)
                newPoint += 1
            }
        }
        if kept.isEmpty { return negative ? -0.0 : 0 }
        let text = kept.map(String.init).joined()
        let result = Double("0.\(text)e\(newPoint)") ?? .nan
        return negative ? -result : result
    }

    /// JavaRosa's toLongHash: the first 8 bytes of the SHA-256 of the UTF-8 text, as a signed number.
    static func longHash(_ text: String) -> Int64 {
        let digest = Array(SHA256.hash(data: Data(text.utf8)))
        return digest.prefix(8).reduce(0) { ($0 << 8) | Int64($1) }
    }
}
