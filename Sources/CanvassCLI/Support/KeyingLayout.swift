import CanvassCore

/// How the fields of a phiếu are laid out for keying: in paper order, a header per group, and
/// runs of questions on one scale (SIPAS's 22 criteria) as a grid, a row per group, like a CSPro
/// roster, so a whole block of the paper is on the screen at once. Split into pages that fit.
struct KeyingLayout {
    enum Line: Equatable {
        case header(String)
        case field(Int)
        case grid(label: String, fields: [Int])
    }

    /// Pages of lines; a grid is never split across two pages.
    var pages: [[Line]] = []

    /// A run of at least this many questions on one choice list is a grid.
    static let gridRun = 4

    init(fields: [Slot], engine: FormEngine, label: (LocalizedText?) -> String, height: Int) {
        var blocks: [[Line]] = []
        var index = 0
        var group: String?
        while index < fields.count {
            let list = Self.scale(fields[index])
            var end = index
            while list != nil, end + 1 < fields.count, Self.scale(fields[end + 1]) == list { end += 1 }
            if list != nil, end - index + 1 >= Self.gridRun {
                var block: [Line] = []
                var row: [Int] = []
                var rowGroup = fields[index].row.ancestorKeys.last
                for i in index...end {
                    if fields[i].row.ancestorKeys.last != rowGroup || row.count == 6 {
                        block.append(.grid(label: Self.groupLabel(rowGroup, engine, label), fields: row))
                        row = []
                        rowGroup = fields[i].row.ancestorKeys.last
                    }
                    row.append(i)
                }
                block.append(.grid(label: Self.groupLabel(rowGroup, engine, label), fields: row))
                blocks.append(block)
                group = fields[end].row.ancestorKeys.last
                index = end + 1
                continue
            }
            var block: [Line] = []
            let own = fields[index].row.ancestorKeys.last
            if own != group, let own, let row = engine.row(own) {
                let text = label(row.entry.label)
                block.append(.header(text.isEmpty ? row.entry.name : text))
            }
            group = own
            block.append(.field(index))
            blocks.append(block)
            index += 1
        }
        var page: [Line] = []
        for block in blocks {
            if !page.isEmpty, page.count + block.count > max(height, 1) {
                pages.append(page)
                page = []
            }
            page += block
        }
        if !page.isEmpty || pages.isEmpty { pages.append(page) }
    }

    /// The choice list of a select_one on a scale (four choices or more), the mark of a grid
    /// candidate; yes/no questions stay one to a line, with their labels.
    static func scale(_ slot: Slot) -> String? {
        slot.entry.kind == .selectOne && (slot.row.choices?.count ?? 0) >= 4 ? slot.entry.type.list : nil
    }

    /// The label of the group keyed `key` (a key, as a group's name may be used twice).
    static func groupLabel(_ key: String?, _ engine: FormEngine, _ label: (LocalizedText?) -> String) -> String {
        guard let key, let row = engine.row(key) else { return "" }
        let text = label(row.entry.label)
        return text.isEmpty ? row.entry.name : text
    }

    /// The page holding field `index` (the last page for the end of the phiếu).
    func page(of index: Int) -> Int {
        for (number, page) in pages.enumerated() {
            for line in page {
                switch line {
                case .field(let i) where i == index: return number
                case .grid(_, let fields) where fields.contains(index): return number
                default: continue
                }
            }
        }
        return pages.count - 1
    }

    /// The first field on a page.
    func firstField(on page: Int) -> Int? {
        for line in pages[max(0, min(page, pages.count - 1))] {
            if case .field(let i) = line { return i }
            if case .grid(_, let fields) = line, let first = fields.first { return first }
        }
        return nil
    }
}
