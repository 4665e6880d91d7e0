import CanvassCore
import Crypto
import Foundation
import GRDB

extension DataFile {
    /// Merges sources into this file: a union of forms, interviews and revisions, then the heads
    /// of the fields they touched recomputed. Idempotent, commutative and associative by
    /// construction. `each` is called for every source, in order, once what it did is durable.
    ///
    /// Sources are untrusted: each is checked whole before anything of it is written. The checks
    /// run on another core, a few sources ahead of the writing. Sources already checked are
    /// written together, up to `mergeBatch` of them, in one transaction with a savepoint each: a
    /// refused source is rolled back alone, and a kill leaves this file as it was after some
    /// whole number of sources. A check sees this file as it was when the check started, so a
    /// source that overlaps one written meanwhile is checked again.
    ///
    /// A source may be a server's URL: what this file lacks of it (or of its slice, `where=`) is
    /// pulled into a private file beside this one first (`ServerStore.exportForPull`), merged like
    /// any other source, and deleted.
    public func merge(sources: [String], dryRun: Bool = false, each: (Int, MergeReport) -> Void = { _, _ in }) -> [MergeReport] {
        var files: [String] = [], labels: [String: String] = [:], refused: [Int: MergeReport] = [:]
        defer { labels.keys.forEach(DataFile.remove) }
        for (n, source) in sources.enumerated() {
            guard Stores.isServer(source) else { files.append(source); continue }
            do {
                let server = try ServerStore(address: try Stores.address(source), environment: environment)
                let file = URL(fileURLWithPath: path).deletingLastPathComponent()
                    .appendingPathComponent(".\(URL(fileURLWithPath: path).lastPathComponent).pulling-\(getpid())-\(n)").path
                DataFile.remove(file)
                labels[file] = server.location
                try server.exportForPull(into: file, held: try mergeSnapshot().held)
                files.append(file)
            } catch {
                refused[n] = MergeReport.refused(source, error)
            }
        }
        var reports: [MergeReport] = []
        _ = mergeFiles(files, labels: labels, dryRun: dryRun) { _, report in
            while let early = refused[reports.count] { reports.append(early); each(reports.count - 1, early) }
            var report = report
            report.path = labels[report.path] ?? report.path
            reports.append(report)
            each(reports.count - 1, report)
        }
        while let late = refused[reports.count] { reports.append(late); each(reports.count - 1, late) }
        return reports
    }

    /// Merges data files: see `merge(sources:)`. `labels` name sources in reports and provenance.
    private func mergeFiles(_ sources: [String], labels: [String: String], dryRun: Bool, each: (Int, MergeReport) -> Void) -> [MergeReport] {
        let checking = DispatchQueue(label: "canvass.merge.check")
        let size = { (path: String) in (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0 }
        var pending: [(check: Pending<Result<MergeOffer, Error>>, bytes: Int)] = []
        var reports: [MergeReport] = []
        func checkAhead() {
            // Read once per batch, and only when there is something to check.
            lazy var snapshot = Result { try mergeSnapshot() }
            // Checks run up to two batches ahead, so that a whole batch is ready when the last is
            // written; bounded in bytes too, as a checked source is held in memory (a few per cent of it).
            while reports.count + pending.count < sources.count && pending.count < 2 * Self.mergeBatch.count
                && (pending.isEmpty || pending.map(\.bytes).reduce(0, +) < 2 * Self.mergeBatch.bytes) {
                let path = sources[reports.count + pending.count]
                let taken = snapshot, label = labels[path] ?? path
                pending.append((Pending(on: checking) {
                    Result {
                        var offer = try self.check(source: path, against: taken.get())
                        offer.label = label
                        return offer
                    }
                }, size(path)))
            }
        }
        checkAhead()
        while !pending.isEmpty {
            // The first is waited for; after it, only what is already checked joins the batch.
            var batch: [(path: String, checked: Result<MergeOffer, Error>)] = []
            var bytes = 0
            repeat {
                let next = pending.removeFirst()
                batch.append((sources[reports.count + batch.count], next.check.wait()))
                bytes += next.bytes
            } while !pending.isEmpty && pending[0].check.isDone && batch.count < Self.mergeBatch.count && bytes < Self.mergeBatch.bytes
            for report in write(batch, dryRun: dryRun) {
                reports.append(report)
                each(reports.count - 1, report)
            }
            checkAhead()
        }
        return reports
    }

    public func merge(source path: String, dryRun: Bool = false) -> MergeReport {
        merge(sources: [path], dryRun: dryRun)[0]
    }

    /// At most this many sources, or files of this many bytes, in one transaction: one commit
    /// (and checkpoint) for several sources, a bounded amount of work lost to a kill, and SQLite
    /// attaches at most ten databases.
    static let mergeBatch = (count: 8, bytes: 32 << 20)

    /// The check assumed counters the target no longer has (another source brought some of its rows).
    private struct Stale: Error {}

    /// Writes checked sources in one transaction, each in a savepoint, and reports on each.
    func write(_ batch: [(path: String, checked: Result<MergeOffer, Error>)], dryRun: Bool) -> [MergeReport] {
        var reports: [MergeReport?] = batch.map { item in
            switch item.checked {
            case .failure(let error): return MergeReport.refused(item.path, error)
            case .success: return nil
            }
        }
        // What the target held only grows, so "already merged" against an older snapshot holds
        // now, once the shared names are known to mean the same revisions here (a read: rows
        // the target held then never change).
        let merged = batch.indices.filter { if case .success(let offer) = batch[$0].checked { offer.alreadyMerged } else { false } }
        if !merged.isEmpty {
            do {
                try queue.read { db in
                    for index in merged {
                        guard case .success(let offer) = batch[index].checked else { continue }
                        do {
                            try verify(offer, db)
                            reports[index] = MergeReport(path: offer.path, fileID: offer.sourceID, outcome: .alreadyMerged)
                            reports[index]?.warnings = offer.warnings
                        } catch {
                            reports[index] = MergeReport.refused(offer.path, error, warnings: offer.warnings)
                        }
                    }
                }
            } catch {
                for index in merged { reports[index] = MergeReport.refused(batch[index].path, error) }
            }
        }
        let writing = batch.indices.filter { reports[$0] == nil }
        guard !writing.isEmpty else { return reports.map { $0! } }
        do {
            try queue.writeWithoutTransaction { db in
                // Every row's interview exists by construction: the check found each new revision's
                // interview in its source, and it is here already or inserted first. Checking it
                // again for every row was a third of the write. The cache holds a batch's pages.
                var attached: [Int: String] = [:]
                defer {
                    try? db.execute(sql: "PRAGMA foreign_keys = ON")
                    try? db.execute(sql: "PRAGMA cache_size = -2000")
                    for schema in attached.values { try? db.execute(sql: "DETACH DATABASE \(schema)") }
                }
                try db.execute(sql: "PRAGMA foreign_keys = OFF")
                try db.execute(sql: "PRAGMA cache_size = -65536")
                // SQLite attaches only outside a transaction: all of the batch first.
                for (n, index) in writing.enumerated() {
                    do {
                        let immutable = (try? batch[index].checked.get())?.immutable ?? false
                        try db.execute(sql: "ATTACH DATABASE ? AS src\(n)", arguments: [Self.readOnlyURI(batch[index].path, immutable: immutable)])
                        attached[index] = "src\(n)"
                    } catch {
                        reports[index] = MergeReport.refused(batch[index].path, error)
                    }
                }
                try db.inTransaction(.immediate) {
                    for index in writing where reports[index] == nil {
                        reports[index] = write(try batch[index].checked.get(), path: batch[index].path, db: db, schema: attached[index]!, dryRun: dryRun)
                    }
                    return dryRun ? .rollback : .commit
                }
                // Into the main file at once, as every write (DataFile.write says why).
                _ = try? db.checkpoint(.passive)
            }
        } catch {
            // The transaction failed as a whole (busy, disk full): nothing of the batch was written.
            for index in writing where reports[index]?.outcome != .refused { reports[index] = MergeReport.refused(batch[index].path, error) }
        }
        return reports.map { $0! }
    }

    /// Writes one source in a savepoint: refused, it leaves the target as it was. A dry run rolls
    /// each source back, so that each is judged against the target as it is.
    private func write(_ offer: MergeOffer, path: String, db: Database, schema: String, dryRun: Bool) -> MergeReport {
        do {
            // The copy reads the file attached before this check: a file replaced since cannot be checked again in place.
            guard FileStamp(path: path) == offer.stamp else {
                throw StoreError.refused(path: path, reason: "it changed while it was being merged; merge it again")
            }
            var offer = offer
            for _ in 0..<2 {
                do {
                    var report: MergeReport?
                    try db.inSavepoint {
                        report = try write(offer, db: db, schema: schema)
                        return dryRun ? .rollback : .commit
                    }
                    return report!
                } catch is Stale {
                    offer = try check(source: path, against: mergeSnapshot(db))
                    if offer.alreadyMerged {
                        try verify(offer, db)
                        var report = MergeReport(path: path, fileID: offer.sourceID, outcome: .alreadyMerged)
                        report.warnings = offer.warnings
                        return report
                    }
                }
            }
            throw StoreError.refused(path: path, reason: "the target changed while it was being checked; merge it again")
        } catch {
            return MergeReport.refused(path, error, warnings: offer.warnings)
        }
    }

    private func write(_ offer: MergeOffer, db: Database, schema: String) throws -> MergeReport {
        var report = MergeReport(path: offer.path, fileID: offer.sourceID, outcome: .merged)
        let held = Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT origin, counter FROM origin").map { ($0[0] as String, $0[1] as Int64) })
        guard offer.basis.allSatisfy({ held[$0.key, default: 0] == $0.value }) else { throw Stale() }
        try verify(offer, db)
        report.warnings = offer.warnings
        for form in offer.newForms {
            // Another definition under the same id and version is kept beside ours (FormLabels).
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM form WHERE sha256 = ?", arguments: [form.sha256]) == true { continue }
            try db.execute(sql: "INSERT INTO form (sha256, form_id, version, definition) VALUES (?, ?, ?, ?)",
                           arguments: [form.sha256, form.formId, form.version, String(decoding: form.canonicalJSON(), as: UTF8.self)])
            report.newForms += 1
        }
        if offer.newExtras { try MergeExtras.copy(db, schema: schema) }
        try MergeAttachments.copy(db, schema: schema, offer.newAttachments)
        report.warnings += try formWarnings(db, offer.newForms)
        // New forms alone (no revisions) leave nothing to copy.
        let counts = offer.wanted.isEmpty ? MergeWriter.Counts() : try MergeWriter(db: db, offer: offer, schema: schema).run()
        // The source read as it lies (immutable, without locks) must not have changed under the copy.
        guard FileStamp(path: offer.path) == offer.stamp else {
            throw StoreError.refused(path: offer.path, reason: "it changed while it was being merged; merge it again")
        }
        report.newInterviews = counts.newInterviews
        report.changedInterviews = counts.changedInterviews
        report.newRevisions = counts.newRevisions
        for (origin, counter) in offer.wanted {
            // The source of an origin is the file that wrote it once that file is merged itself.
            try db.execute(sql: """
                INSERT INTO origin (origin, counter, source) VALUES (?, ?, ?)
                ON CONFLICT (origin) DO UPDATE SET counter = max(counter, excluded.counter),
                    source = CASE WHEN excluded.source NOT LIKE 'via %' THEN excluded.source ELSE source END
                """, arguments: [origin, counter, origin == offer.sourceID ? offer.label : "via \(offer.label)"])
        }
        // Our clock moves past every merged revision, so later edits here come after them.
        var clock = HybridClock(last: try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'hlc'").flatMap { Int64($0) } ?? 0)
        clock.observe(offer.maxHLC)
        try db.execute(sql: "INSERT OR REPLACE INTO meta (key, value) VALUES ('hlc', ?)", arguments: [String(clock.last)])
        try db.execute(sql: """
            INSERT INTO merge_log (source_id, path, sha256, time, new_interviews, new_revisions, changed_interviews)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """, arguments: [offer.sourceID, offer.label, offer.sha256, environment.now().iso8601,
                             report.newInterviews, report.newRevisions, report.changedInterviews])
        return report
    }

    /// For each form id and version that now has definitions shown apart, one warning naming
    /// them, and how to show them as one when only their wording differs.
    func formWarnings(_ db: Database, _ forms: [Form]) throws -> [String] {
        guard !forms.isEmpty else { return [] }
        let labels = try DataFile.formLabels(db, schemaVersion: Schema.version)
        let rows = try Row.fetchAll(db, sql: "SELECT sha256, form_id, version FROM form")
        var warnings: [String] = []
        for (formId, version) in Set(forms.map { [$0.formId, $0.version] }).sorted(by: { $0.lexicographicallyPrecedes($1) }).map({ ($0[0], $0[1]) }) {
            let shown = Set(rows.filter { $0[1] == formId && $0[2] == version }.compactMap { labels[$0[0] as String] }).sorted()
            guard shown.count > 1 else { continue }
            warnings.append("form \(formId) version \(version) has \(shown.count) different definitions, all kept and shown as \(shown.map { "\(formId) \($0)" }.joined(separator: ", ")); "
                + "if they differ only in wording: canvass form equivalent \(path) \(shown[0]) \(shown[1]) --as ID")
        }
        return warnings
    }

    /// A read-only URI for ATTACH, so the source cannot be changed through the target's
    /// connection. `immutable`: the main file alone, its -wal left unread.
    static func readOnlyURI(_ path: String, immutable: Bool = false) -> String {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        let allowed = CharacterSet.urlPathAllowed.subtracting(CharacterSet(charactersIn: "?#%"))
        return "file:\(absolute.addingPercentEncoding(withAllowedCharacters: allowed) ?? absolute)?mode=ro\(immutable ? "&immutable=1" : "")"
    }

    /// An engine for every form this file holds.
    func targetEngines(_ db: Database) throws -> [String: FormEngine] {
        var engines: [String: FormEngine] = [:]
        for sha in try String.fetchAll(db, sql: "SELECT sha256 FROM form") {
            if let engine = formEngines.cached(sha) {
                engines[sha] = engine
                continue
            }
            let json = try String.fetchOne(db, sql: "SELECT definition FROM form WHERE sha256 = ?", arguments: [sha])
            guard let json, let form = try? Form(canonicalJSON: Data(json.utf8)) else {
                throw StoreError.corrupt(path: path, detail: "the embedded form \(sha.prefix(12)) is unreadable")
            }
            engines[sha] = try formEngines.engine(for: form)
        }
        return engines
    }

    static func sha256(ofFileAt path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw StoreError.notFound(path: path) }
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
        return Array(hasher.finalize()).hex
    }
}

/// Work started on another queue, its result waited for once.
final class Pending<T: Sendable>: @unchecked Sendable {
    private let group = DispatchGroup()
    private var result: T?

    init(on queue: DispatchQueue, _ work: @escaping @Sendable () -> T) {
        queue.async(group: group) { self.result = work() }
    }

    var isDone: Bool { group.wait(timeout: .now()) == .success }

    func wait() -> T {
        group.wait()
        return result!
    }
}
