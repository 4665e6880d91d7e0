import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// The files beside a form: the choices of `select_one_from_file F.csv` (or `.xml`, `.geojson`),
/// and the CSV files `pulldata('F', ...)` looks rows up in. They are read once, when the form is
/// loaded, and kept in the form as choice lists named after the file, so the data file embeds
/// them with the form (and `validate`, `export` and `merge` need no file but the data file).
enum ExternalChoices {
    static let maxBytes = 20 << 20

    /// The choices of a choices file: CSV with `name` and `label` columns (and `label::Language
    /// (code)` columns, and any others for choice filters), XML items (ODK's secondary-instance
    /// layout, `<root><item><name/><label/></item></root>`) or GeoJSON features (`id`, `title`).
    /// `value` and `label` name other columns, as XLSForm's `parameters` do.
    static func parse(_ data: Data, file: String, defaultLanguage: String?, value: String = "name", label: String = "label") throws(XLSXError) -> [Choice] {
        guard data.count <= maxBytes else { throw XLSXError("the file is larger than \(maxBytes >> 20) MB; refusing it") }
        let lower = file.lowercased()
        if lower.hasSuffix(".xml") { return try xml(data, value: value, label: label) }
        if lower.hasSuffix(".geojson") { return try geojson(data, value: value, label: label) }
        return try csv(data, defaultLanguage: defaultLanguage, value: value, label: label)
    }

    /// The rows of a data file for pulldata(): every column of each row kept as it is (a choice
    /// per row, named by its row number).
    static func dataRows(_ data: Data) throws(XLSXError) -> [Choice] {
        guard data.count <= maxBytes else { throw XLSXError("the file is larger than \(maxBytes >> 20) MB; refusing it") }
        let records = rows(try text(data))
        guard let header = records.first?.map({ XLSFormImporter.clean($0) }) else { return [] }
        return records.dropFirst().enumerated().compactMap { number, record in
            var choice = Choice(name: String(number + 1))
            for (index, title) in header.enumerated() where index < record.count && !title.isEmpty {
                let value = XLSFormImporter.clean(record[index])
                if !value.isEmpty { choice.extra[title] = value }
            }
            return choice.extra.isEmpty ? nil : choice
        }
    }

    static func text(_ data: Data) throws(XLSXError) -> String {
        var bytes = data
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        guard let text = String(data: bytes, encoding: .utf8) else { throw XLSXError("the file is not UTF-8 text; save it as CSV UTF-8") }
        return text
    }

    static func csv(_ data: Data, defaultLanguage: String?, value: String, label: String) throws(XLSXError) -> [Choice] {
        let records = rows(try text(data))
        guard let header = records.first?.map({ XLSFormImporter.clean($0) }) else { return [] }
        guard let nameColumn = header.firstIndex(where: { XLSFormImporter.snake($0) == value.lowercased() }) else {
            throw XLSXError("the file has no '\(value)' column in its first line; choices files have \(value) and \(label) columns")
        }
        // Another label column (parameters label=...) is plain text; `label` may have translations.
        let columns = header.enumerated().map { index, title -> (Int, String, (key: String?, language: String?)) in
            if label != "label" { return (index, title, XLSFormImporter.snake(title) == label.lowercased() ? ("label", nil) : (nil, nil)) }
            return (index, title, XLSFormImporter.choicesColumn(title))
        }
        var choices: [Choice] = []
        for record in records.dropFirst() {
            func cell(_ i: Int) -> String? {
                guard i < record.count else { return nil }
                let value = XLSFormImporter.clean(record[i])
                return value.isEmpty ? nil : value
            }
            guard let name = cell(nameColumn) else { continue }
            var choice = Choice(name: name)
            var plain: String? = nil
            var texts: [String: String] = [:]
            for (index, title, (key, language)) in columns where index != nameColumn {
                guard let value = cell(index) else { continue }
                if key == "label" {
                    if let language { texts[language] = value } else { plain = value }
                } else if key == nil || key == "list_name" {
                    choice.extra[title] = value
                }
            }
            if texts.isEmpty {
                choice.label = plain.map { .plain($0) }
            } else {
                if let plain, texts[defaultLanguage ?? "default"] == nil { texts[defaultLanguage ?? "default"] = plain }
                choice.label = .localized(texts)
            }
            choices.append(choice)
        }
        return choices
    }

    /// `<root><item><name>a</name><label>A</label><other>…</other></item>…</root>`: each item's
    /// child elements are its columns.
    static func xml(_ data: Data, value: String, label: String) throws(XLSXError) -> [Choice] {
        let delegate = ItemsDelegate()
        try XLSXReader.parse(data, part: "the XML file", delegate: delegate)
        var choices: [Choice] = []
        for item in delegate.items {
            guard let name = item[value].map(XLSFormImporter.clean), !name.isEmpty else { continue }
            var choice = Choice(name: name, label: item[label].map { .plain(XLSFormImporter.clean($0)) })
            for (key, text) in item where key != value && key != label { choice.extra[key] = XLSFormImporter.clean(text) }
            choices.append(choice)
        }
        return choices
    }

    /// GeoJSON features: the `id` property (or the feature's id) is the name, `title` the label,
    /// the other properties columns, and the geometry a `geometry` column in ODK's
    /// "latitude longitude altitude accuracy" form.
    static func geojson(_ data: Data, value: String, label: String) throws(XLSXError) -> [Choice] {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let features = object["features"] as? [[String: Any]]
        else { throw XLSXError("the file is not a GeoJSON FeatureCollection") }
        let nameKey = value == "name" ? "id" : value, labelKey = label == "label" ? "title" : label
        return features.compactMap { feature in
            let properties = feature["properties"] as? [String: Any] ?? [:]
            func text(_ any: Any?) -> String? {
                switch any {
                case let string as String: return XLSFormImporter.clean(string)
                case let number as NSNumber: return FieldValue.format(number.doubleValue)
                default: return nil
                }
            }
            guard let name = text(properties[nameKey]) ?? text(feature["id"]), !name.isEmpty else { return nil }
            var choice = Choice(name: name, label: text(properties[labelKey]).map { .plain($0) })
            for (key, any) in properties where key != nameKey && key != labelKey {
                if let value = text(any) { choice.extra[key] = value }
            }
            if let geometry = feature["geometry"] as? [String: Any], let odk = odkGeometry(geometry) { choice.extra["geometry"] = odk }
            return choice
        }
    }

    /// A GeoJSON Point, LineString or Polygon (outer ring) as ODK writes it: "lat lon 0 0" points joined by "; ".
    static func odkGeometry(_ geometry: [String: Any]) -> String? {
        func point(_ any: Any) -> String? {
            guard let pair = any as? [NSNumber], pair.count >= 2 else { return nil }
            return "\(FieldValue.format(pair[1].doubleValue)) \(FieldValue.format(pair[0].doubleValue)) 0 0"
        }
        switch geometry["type"] as? String {
        case "Point": return geometry["coordinates"].flatMap(point)
        case "LineString": return (geometry["coordinates"] as? [Any])?.compactMap(point).joined(separator: "; ")
        case "Polygon": return ((geometry["coordinates"] as? [Any])?.first as? [Any])?.compactMap(point).joined(separator: "; ")
        default: return nil
        }
    }

    /// RFC 4180 records: quoted fields may hold commas, quotes ("") and line breaks.
    static func rows(_ text: String) -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var quoted = false
        var iterator = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        func next() -> Unicode.Scalar? {
            if let p = pending { pending = nil; return p }
            return iterator.next()
        }
        while let c = next() {
            if quoted {
                if c == "\"" {
                    if let following = next() {
                        if following == "\"" { field.unicodeScalars.append("\"") } else { quoted = false; pending = following }
                    } else {
                        quoted = false
                    }
                } else {
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case "\"" where field.isEmpty: quoted = true
            case ",":
                record.append(field)
                field = ""
            case "\r": continue
            case "\n":
                record.append(field)
                records.append(record)
                record = []
                field = ""
            default: field.unicodeScalars.append(c)
            }
        }
        if !field.isEmpty || !record.isEmpty {
            record.append(field)
            records.append(record)
        }
        return records
    }
}

/// Collects the items of an ODK choices XML file: the children of the root's children.
final class ItemsDelegate: SafeXMLDelegate {
    var items: [[String: String]] = []
    private var depth = 0
    private var current: [String: String] = [:]
    private var column: String?
    private var text = ""

    override func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                         qualifiedName: String?, attributes: [String: String] = [:]) {
        depth += 1
        if depth == 2 { current = [:] }
        if depth == 3 { column = Self.local(elementName); text = "" }
        if depth > 3 { fail(parser, XLSXError("the XML file nests items deeper than ODK's <root><item><column/></item></root>")) }
    }

    override func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        if depth == 3, let column { current[column] = text }
        if depth == 2 { items.append(current) }
        if depth == 3 { column = nil }
        depth -= 1
    }

    override func parser(_ parser: XMLParser, foundCharacters string: String) {
        if column != nil { text += string }
    }
}
