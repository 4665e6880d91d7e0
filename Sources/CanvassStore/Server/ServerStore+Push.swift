import CanvassCore
import Foundation
import GRDB
import NIOCore
import PostgresNIO

extension ServerStore {
    /// Pushes data files to the server: each is checked as a merge checks a source (untrusted,
    /// whole) before anything of it is sent. Then its new revisions are streamed with COPY into
    /// the log, and the rest through the staging tables, and applied (`ServerFunctions`). Up to 8
    /// sources go in one transaction, a savepoint each: a refused source is rolled back alone, and
    /// a push killed or cut off leaves the server as it was after a whole number of batches.
    public func merge(sources: [String], dryRun: Bool, each: (Int, MergeReport) -> Void) -> [MergeReport] {
        let batches = stride(from: 0, to: sources.count, by: Self.batch).map { Array(sources[$0..<min($0 + Self.batch, sources.count)]) }
        var reports: [MergeReport] = []
        // The next batch is checked on another core while this one is sent, against the server
        // as it was before this one; a file the server moved past since is checked again (`push`).
        let checking = DispatchQueue(label: "canvass.push.check")
        func checkAhead(_ index: Int) -> Pending<[Result<MergeOffer, Error>]>? {
            guard index < batches.count else { return nil }
            let snapshot = Result { try self.snapshot() }, batch = batches[index]
            return Pending(on: checking) { batch.map { path in Result { try self.checked(path, against: snapshot.get()) } } }
        }
        // The trigger on the log reads each COPY's rows back: in memory, not spilled to disk.
        try? connection.execute("SET work_mem = '64MB'")
        var next = checkAhead(0)
        for index in batches.indices {
            let offers = next?.wait() ?? []
            next = checkAhead(index + 1)
            for report in push(batches[index], offers, dryRun: dryRun) {
                reports.append(report)
                each(reports.count - 1, report)
            }
        }
        return reports
    }

    static let batch = 8

    /// What the server holds, as a merge check needs it.
    func snapshot() throws -> MergeSnapshot {
        let held = try connection.rows("SELECT origin, counter FROM origin").map { (try $0[0].decode(String.self), try $0[1].decode(Int64.self)) }
        let extras = try connection.rows("SELECT 'fork ' || origin FROM fork UNION ALL SELECT 'same ' || sha256 || ' ' || same_as FROM form_equivalent")
            .map { try $0[0].decode(String.self) }
        let renames = try connection.rows("SELECT origin, previous, first, digest FROM fork WHERE first IS NOT NULL AND digest IS NOT NULL").map { row in
            Rename(origin: try row[0].decode(String.self), previous: try row[1].decode(String.self), first: try row[2].decode(Int64.self),
                   digest: try Self.bytes(row[3]))
        }
        let attachments = try connection.rows("SELECT canvass.attachment_names()").map { try $0[0].decode(String.self) }
        return MergeSnapshot(held: Dictionary(held, uniquingKeysWith: max), engines: try engines(), extras: Set(extras), renames: renames,
                             attachments: Set(attachments))
    }

    static func bytes(_ cell: PostgresCell) throws -> [UInt8] {
        var buffer = try cell.decode(ByteBuffer.self)
        return buffer.readBytes(length: buffer.readableBytes) ?? []
    }

    func checked(_ path: String, against snapshot: MergeSnapshot) throws -> MergeOffer {
        guard !Stores.isServer(path) else {
            throw StoreError.refused(path: path, reason: "a server is not merged into a server; pull it into a file first (canvass merge FILE URL), then push the file")
        }
        return try check(source: path, against: snapshot)
    }

    func push(_ batch: [String], _ offers: [Result<MergeOffer, Error>], dryRun: Bool) -> [MergeReport] {
        var reports: [MergeReport] = []
        do {
            // This session's staging tables, made by the functions' owner, which reads them.
            try connection.execute("SELECT canvass.prepare_staging()")
            try connection.execute("BEGIN")
            // One push at a time, to the commit, so that what the server holds stays as read below.
            try connection.execute("SELECT pg_advisory_xact_lock(hashtext('canvass.apply'))")
            for (path, offer) in zip(batch, offers) { reports.append(push(path, offer)) }
            try connection.execute(dryRun ? "ROLLBACK" : "COMMIT")
        } catch {
            try? connection.execute("ROLLBACK")
            return zip(batch, reports + batch.dropFirst(reports.count).map { _ in nil as MergeReport? }).map { path, report in
                report?.outcome == .refused ? report! : MergeReport.refused(path, error)
            }
        }
        return reports
    }

    private func push(_ path: String, _ checked: Result<MergeOffer, Error>) -> MergeReport {
        var offer: MergeOffer
        switch checked {
        case .failure(let error): return MergeReport.refused(path, error)
        case .success(let checked): offer = checked
        }
        do {
            // Checked against the server before an earlier source of this command reached it: a
            // revision the log holds is never sent twice (the log's key would refuse it), so the
            // source is checked again against the server as it is now.
            if !offer.alreadyMerged, try serverMoved(since: offer) { offer = try self.checked(path, against: snapshot()) }
            if offer.alreadyMerged {
                try verifyOnServer(offer)
                var report = MergeReport(path: path, fileID: offer.sourceID, outcome: .alreadyMerged)
                report.warnings = offer.warnings
                return report
            }
            try connection.execute("SAVEPOINT source")
            do {
                // Forms another source of this command brought since the check are not new.
                let known = offer.newForms.isEmpty ? 0 : try connection.rows("SELECT count(*) FROM form WHERE sha256 = ANY($1::text[])",
                                                                             try binds(offer.newForms.map(\.sha256)))[0][0].decode(Int.self)
                let source = try DataFile(path: offer.path, mode: .untrusted, environment: environment)
                try stageFacts(offer, from: source)
                try connection.execute("SELECT canvass.apply_begin()")
                let named = try copyRevisions(offer, from: source)
                try stageAttachments(offer, named: named, from: source)
                guard FileStamp(path: path) == offer.stamp else {
                    throw StoreError.refused(path: path, reason: "it changed while it was being pushed; push it again")
                }
                let row = try connection.rows("SELECT * FROM canvass.apply($1, $2, $3, $4)",
                                              try binds(offer.sourceID, path, offer.sha256, environment.now().iso8601))[0]
                try connection.execute("RELEASE SAVEPOINT source")
                var report = MergeReport(path: path, fileID: offer.sourceID, outcome: .merged)
                report.newForms = offer.newForms.count - known
                report.newInterviews = try row[0].decode(Int.self)
                report.newRevisions = try row[1].decode(Int.self)
                report.changedInterviews = try row[2].decode(Int.self)
                report.warnings = offer.warnings
                // Brought by another source of this command too (a copy), in the same batch.
                if report.newInterviews == 0 && report.newRevisions == 0 && report.newForms == 0 && !offer.newExtras {
                    report.outcome = .alreadyMerged
                }
                return report
            } catch {
                try? connection.execute("ROLLBACK TO SAVEPOINT source")
                throw try explain(error, offer)
            }
        } catch {
            return MergeReport.refused(path, error, warnings: offer.warnings)
        }
    }

    /// The server's own checks (`ServerFunctions`) and its log's key, told as a data file would
    /// tell them.
    private func explain(_ error: Error, _ offer: MergeOffer) throws -> Error {
        guard case .serverRule(_, let code, let detail) = error as? StoreError else { return error }
        switch code {
        case "CV001":
            guard let id = RevisionID(detail) else { return error }
            return try divergence(offer, at: id)
        case "CV002":
            let parts = detail.split(separator: " ").map(String.init)
            return StoreError.refused(path: offer.path, reason: "it renamed revisions \(parts[0]) and after as \(parts.last ?? "") after a divergence, and \(location) still holds them under their old names; fork the server's copy the same way: pull it into a file, canvass fork FILE --against \(offer.path), and push that")
        case "CV004":
            return StoreError.refused(path: offer.path, reason: "its attachment \(detail.prefix(12)) is not the file its name says (damaged or altered)")
        case "CV003":
            return StoreError.refused(path: offer.path, reason: "interview \(detail) exists on the server with other facts (form, surveyor, device or creation); the two disagree on who made it")
        case "CV005":
            return StoreError.refused(path: offer.path, reason: "a revision names interview \(detail), which neither it nor \(location) holds")
        case "23505":
            return StoreError.refused(path: offer.path, reason: "\(location) holds some of its revisions without counting them in its version vector (they were written outside canvass); ask the server's owner to check canvass.revision_log")
        default:
            return error
        }
    }

    /// Whether the server took revisions of the source's origins since the source was checked.
    private func serverMoved(since offer: MergeOffer) throws -> Bool {
        let origins = Array(Set(offer.wanted.map(\.origin)).union(offer.agreements.map(\.origin)))
        guard !origins.isEmpty else { return false }
        return try connection.rows("SELECT origin, counter FROM origin WHERE origin = ANY($1::text[])", try binds(origins)).contains { row in
            try row[1].decode(Int64.self) != offer.basis[try row[0].decode(String.self), default: 0]
        }
    }

    /// The digests the server holds at the counters the source shares with it must be the source's.
    private func verifyOnServer(_ offer: MergeOffer) throws {
        let theirs = try digests(offer.agreements.map { RevisionID(origin: $0.origin, counter: $0.counter) })
        for agreement in offer.agreements where theirs[RevisionID(origin: agreement.origin, counter: agreement.counter)] != agreement.digest {
            throw try divergence(offer, at: RevisionID(origin: agreement.origin, counter: agreement.counter))
        }
    }

    func digests(_ ids: [RevisionID]) throws -> [RevisionID: [UInt8]] {
        guard !ids.isEmpty else { return [:] }
        var found: [RevisionID: [UInt8]] = [:]
        for row in try connection.rows("SELECT * FROM canvass.digests($1::text[], $2::bigint[])", try binds(ids.map(\.origin), ids.map(\.counter))) {
            found[RevisionID(origin: try row[0].decode(String.self), counter: try row[1].decode(Int64.self))] = try Self.bytes(row[2])
        }
        return found
    }

    /// A divergence found at `id`, told from its first differing counter.
    private func divergence(_ offer: MergeOffer, at id: RevisionID) throws -> StoreError {
        let source = try DataFile(path: offer.path, mode: .untrusted, environment: environment)
        let theirs = try DataFile.sourceDigests(source, origin: id.origin, upTo: id.counter)
        let first = DataFile.firstDifference(upTo: id.counter, { counter in
            (try? self.digests([RevisionID(origin: id.origin, counter: counter)]))?.values.first
        }, theirs)
        let holds = try source.read { db in try Int64.fetchOne(db, sql: "SELECT max(counter) FROM revision WHERE origin = ?", arguments: [id.origin]) } ?? id.counter
        let row = try connection.rows("SELECT counter, source FROM origin WHERE origin = $1", try binds(id.origin)).first
        return .diverged(Divergence(origin: id.origin, counter: first, path: offer.path, holds: holds, other: location,
                                    otherHolds: try row?[0].decode(Int64.self) ?? id.counter, otherGotItFrom: try row?[1].decode(String.self) ?? "unknown"))
    }

    /// Copies what a checked source brings besides revisions and answered files, and what the
    /// server checks it against, into the staging tables.
    private func stageFacts(_ offer: MergeOffer, from source: DataFile) throws {
        try copy("stage_form", ["sha256", "form_id", "version", "definition"], offer.newForms.map {
            [.text($0.sha256), .text($0.formId), .text($0.version), .text(String(decoding: $0.canonicalJSON(), as: UTF8.self))]
        })
        if offer.newExtras && offer.schemaVersion >= 4 {
            let (forks, same) = try source.read { db in
                (try Row.fetchAll(db, sql: "SELECT origin, previous, first, last, digest, reason, time, path, host FROM fork"),
                 try Row.fetchAll(db, sql: "SELECT sha256, same_as, author, time FROM form_equivalent"))
            }
            try copy("stage_fork", ["origin", "previous", "first", "last", "digest", "reason", "time", "path", "host"], forks.map { row in
                [.text(row[0]), .text(row[1]), .integer(row[2]), .integer(row[3]), .bytes((row[4] as Data?).map { [UInt8]($0) }),
                 .text(row[5]), .text(row[6]), .text(row[7]), .text(row[8])]
            })
            try copy("stage_equivalent", ["sha256", "same_as", "author", "time"], same.map { row in [.text(row[0]), .text(row[1]), .text(row[2]), .text(row[3])] })
        }
        try copy("stage_interview", ["id", "form", "surveyor", "device", "created", "mode"], offer.interviews.sorted { $0.key < $1.key }.map { id, facts in
            [.text(id), .text(facts.form), .text(facts.surveyor), .text(facts.device), .text(facts.created), .text(facts.mode)]
        })
        try copy("stage_agreement", ["origin", "counter", "digest", "renamed_as"],
                 offer.agreements.map { [.text($0.origin), .integer($0.counter), .bytes($0.digest), .text(nil)] }
                    + offer.renames.map { [.text($0.previous), .integer($0.first), .bytes($0.digest), .text($0.origin)] })
        try copy("stage_origin", ["origin", "counter", "source"], offer.wanted.map { origin, counter in
            [.text(origin), .integer(counter), .text(origin == offer.sourceID ? offer.path : "via \(offer.path)")]
        })
    }

    /// The answered files the server lacks, and those the staged answers name (the server lets
    /// an interview's readers see a file only when its bytes come with the answer), one to a
    /// chunk (each can be tens of megabytes).
    private func stageAttachments(_ offer: MergeOffer, named: Set<String>, from source: DataFile) throws {
        let held = try source.read { try MergeAttachments.keys($0) }
        var pending = (offer.newAttachments + named.intersection(held).subtracting(offer.newAttachments).sorted()).makeIterator()
        guard let first = pending.next() else { return }
        var next: String? = first
        try connection.copy(into: "stage_attachment", columns: ["sha256", "data"]) {
            guard let sha = next else { return nil }
            next = pending.next()
            guard let data = try source.attachment(sha) else {
                throw StoreError.refused(path: offer.path, reason: "its attachment \(sha.prefix(12)) went missing while it was being pushed; push it again")
            }
            var text = CopyText()
            text.add([.text(sha), .bytes([UInt8](data))])
            return text.buffer
        }
    }

    /// The new revisions, read from the source in chunks of its primary key with SQLite's own
    /// calls (as the merge check reads them), written straight into COPY's text and into the log.
    /// A source older than digests (schema 3) has them worked out on the way, chained from the
    /// server's. Returns the answered files the values name.
    private func copyRevisions(_ offer: MergeOffer, from source: DataFile) throws -> Set<String> {
        var named: Set<String> = []
        var ranges = offer.wanted.makeIterator()
        func start(_ range: (origin: String, counter: Int64)?) -> (origin: String, after: Int64, last: Int64, previous: [UInt8])? {
            range.map { range in
                let after = offer.basis[range.origin, default: 0]
                return (range.origin, after, range.counter,
                        offer.agreements.first { $0.origin == range.origin && $0.counter == after }?.digest ?? RevisionDigest.start)
            }
        }
        var current = start(ranges.next())
        let stored = offer.schemaVersion >= 4
        let columns = ["origin", "counter", "interview", "field", "value", "hlc", "time", "parents", "author", "device", "digest"]
        try connection.copy(into: "revision_log", columns: columns) {
            while let range = current {
                var text = CopyText(), count = 0, last: Int64 = range.after, previous = range.previous
                try source.read { db in
                    let statement = try db.makeStatement(sql: """
                        SELECT \(columns.prefix(stored ? 11 : 10).joined(separator: ", ")) FROM revision
                        WHERE origin = ? AND counter > ? AND counter <= ? ORDER BY counter LIMIT 5000
                        """)
                    try statement.setArguments([range.origin, range.after, range.last])
                    let rows = ValueRows(statement.sqliteStatement)
                    try withExtendedLifetime(statement) {
                        while try rows.step() {
                            for column: Int32 in 0...9 {
                                if column == 1 || column == 5 { text.integer(Int64(rows.int(column))) } else { text.text(rows.bytes(column)) }
                            }
                            if let value = rows.bytes(4), (64...81).contains(value.count),
                               let sha = MediaFile.sha256(ofStoredName: String(decoding: value, as: UTF8.self)) {
                                named.insert(sha)
                            }
                            if stored {
                                text.bytes(rows.storedDigest(10))
                            } else {
                                previous = rows.chain(after: previous)
                                previous.withUnsafeBytes { text.bytes($0) }
                            }
                            text.endRow()
                            last = Int64(rows.int(1))
                            count += 1
                        }
                    }
                }
                if count == 0 {
                    current = start(ranges.next())
                    continue
                }
                current?.after = last
                current?.previous = previous
                return text.buffer
            }
            return nil
        }
        return named
    }

    private func copy(_ table: String, _ columns: [String], _ rows: [[CopyText.Field]]) throws {
        guard !rows.isEmpty else { return }
        var text = CopyText()
        for row in rows { text.add(row) }
        var sent = false
        try connection.copy(into: table, columns: columns) {
            defer { sent = true }
            return sent ? nil : text.buffer
        }
    }
}
