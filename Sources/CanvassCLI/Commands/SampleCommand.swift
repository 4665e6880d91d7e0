import ArgumentParser
import CanvassCore
import Foundation

struct SampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Draw the official and reserve samples from a register of completed procedures (CSV).",
        discussion: """
            A simple random sample without replacement, per stratum with --by. --size takes the same number from
            each stratum; --margin E takes n = ceil(N / (1 + N·E²)) of a stratum's N rows (E = 0.05 or 5%).
            --reserve P% adds ceil(n·P) more rows per stratum, listed in the order to use them when an official
            respondent cannot be reached. The same frame and seed always give the same file, on any machine.

            OUT has the frame's columns plus `sample` (official or reserve) and `order` (1, 2, ... within the stratum
            and list), sorted by stratum, list and order. It is created readable only by its owner.

            Examples:
              canvass sample --frame register.csv --margin 5% --by unit --reserve 20% --seed 2026 -o sample.csv
              canvass sample --frame register.csv --size 150 --by unit --seed 7 -o sample.csv --json
            """
    )

    @Option(help: "The register to draw from: CSV with a header row (UTF-8).")
    var frame: String

    @Option(help: "Rows to draw from each stratum.")
    var size: Int?

    @Option(help: "Margin of error for n = ceil(N / (1 + N·E²)): 0.05 or 5%.")
    var margin: String?

    @Option(help: "A column whose values are the strata (e.g. unit).")
    var by: String?

    @Option(help: "Reserve list size as a share of the sample: 20% or 0.2.")
    var reserve: String = "0"

    @Option(help: "The random seed (a whole number); write it in the plan so the draw can be checked.")
    var seed: UInt64

    @Option(name: .shortAndLong, help: "The sample file to write (CSV).")
    var output: String

    @Flag(help: "Print the strata counts as JSON.")
    var json = false

    func validate() throws {
        guard (size == nil) != (margin == nil) else { throw ValidationError("give either --size N or --margin E") }
        if let size, size < 1 { throw ValidationError("--size must be 1 or more") }
        if let margin, !(Self.fraction(margin).map { $0 > 0 && $0 < 1 } ?? false) {
            throw ValidationError("--margin must be a share such as 0.05 or 5%, not '\(margin)'")
        }
        if !(Self.fraction(reserve).map { $0 >= 0 && $0 <= 100 } ?? false) {
            throw ValidationError("--reserve must be a share such as 20% or 0.2 (at most 100 times the sample), not '\(reserve)'")
        }
    }

    /// `5%` or `0.05`.
    static func fraction(_ text: String) -> Double? {
        text.hasSuffix("%") ? Double(text.dropLast()).map { $0 / 100 } : Double(text)
    }

    func run() throws {
        let bytes: Data
        do { bytes = try Data(contentsOf: URL(fileURLWithPath: frame)) } catch {
            throw ValidationError("cannot read the frame \(frame); check the path")
        }
        guard let text = String(data: bytes, encoding: .utf8) else {
            throw ValidationError("\(frame) is not UTF-8 text; save it as CSV UTF-8")
        }
        var rows: [[String]]
        do { rows = try CSV.parse(text.precomposedStringWithCanonicalMapping) } catch {
            throw ValidationError("\(frame): \(error)")
        }
        guard let header = rows.first else { throw ValidationError("\(frame) is empty; it needs a header row and one row per case") }
        rows.removeFirst()
        for (i, row) in rows.enumerated() where row.count != header.count {
            throw ValidationError("\(frame): line \(i + 2) has \(row.count) fields, the header \(header.count); check its quotes and commas")
        }
        if let clash = header.first(where: { $0 == "sample" || $0 == "order" }) {
            throw ValidationError("\(frame) already has a column '\(clash)'; rename it, the sample adds 'sample' and 'order'")
        }
        var column: Int?
        if let by {
            guard let found = header.firstIndex(of: by) else {
                throw ValidationError("\(frame) has no column '\(by)'; its columns are \(header.joined(separator: ", "))")
            }
            column = found
        }
        let sizeRule: Sample.Size = size.map(Sample.Size.fixed) ?? .margin(Self.fraction(margin!)!)
        let sample = Sample(strata: rows.map { row in column.map { row[$0] } ?? "" }, size: sizeRule,
                            reserve: Self.fraction(reserve)!, seed: seed)
        var out = CSV.line(header + ["sample", "order"])
        for draw in sample.draws {
            out += CSV.line(rows[draw.row] + [draw.reserve ? "reserve" : "official", String(draw.order)])
        }
        let sink = try ExportSink(path: output)
        try sink.write(Array(out.utf8))
        try sink.close()
        if json {
            Output.printJSON(sample.strata)
            return
        }
        Output.print(Table.render(header: [by ?? "stratum", "population", "official", "reserve"], rows: sample.strata.map {
            [$0.stratum.isEmpty && by == nil ? "all" : $0.stratum, String($0.population), String($0.official) + ($0.short ? " (all)" : ""), String($0.reserve)]
        }))
        let official = sample.strata.reduce(0) { $0 + $1.official }, reserves = sample.strata.reduce(0) { $0 + $1.reserve }
        Output.print("wrote \(official) official and \(reserves) reserve rows to \(output) (seed \(seed))")
    }
}
