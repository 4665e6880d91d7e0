import CanvassCore
import Foundation
import GRDB
import Synchronization

/// What the target holds, as checking a source needs it. Taken before the previous source is
/// written, so the check can run on the other core meanwhile; `MergeOffer.basis` records what it
/// assumed, and the write checks it again.
struct MergeSnapshot: Sendable {
    var held: [String: Int64]
    var engines: [String: FormEngine]
    /// The forks and form equivalences the target knows of, as `MergeExtras.keys` writes them.
    var extras: Set<String>
    /// Branches the target renamed after a divergence.
    var renames: [Rename] = []
    /// The SHA-256 of every attachment the target holds.
    var attachments: Set<String> = []
}

/// A source checked whole and read once, ready to be written: everything that needs the form
/// (value checks, status, case key) is worked out here, off the writing thread.
struct MergeOffer: Sendable {
    var path: String
    /// How provenance names the source: its path, or the server it was pulled from.
    var label: String
    var sourceID: String
    var stamp: FileStamp
    /// The source's schema: before 4, its log has no digests, and the copy works them out.
    var schemaVersion: Int
    var alreadyMerged = false
    /// The digests the target must hold for the names the source shares with it.
    var agreements: [Agreement] = []
    /// Branches the source renamed after a divergence: the target must not hold them unrenamed.
    var renames: [Rename] = []
    /// The source's forks and form equivalences the target lacks (copied whole: they are few).
    var newExtras = false
    /// The source's attachments the target lacks, checked to be what their names say.
    var newAttachments: [String] = []
    /// Read, and so attached, as its main file alone: it has no -wal, or one that cannot be read.
    var immutable = false
    var warnings: [String] = []
    /// The target's counter the check assumed for every origin the source holds.
    var basis: [String: Int64] = [:]
    /// Origins with rows the target lacks, with the highest counter the source holds of each.
    var wanted: [(origin: String, counter: Int64)] = []
    var newForms: [Form] = []
    var engines: [String: FormEngine] = [:]
    /// Every interview the new rows touch, with what the target needs if the interview is new to it.
    var interviews: [String: TouchedInterview] = [:]
    /// Revisions the new rows name as parents.
    var superseded: [RevisionID] = []
    var maxHLC: Int64 = 0
    var sha256 = ""

    /// Which source revisions are new, exactly the rows the check read: `(origin = ? AND counter > ?
    /// AND counter <= ?) OR ...`, with its arguments.
    var filter: (sql: String, arguments: StatementArguments) {
        let sql = wanted.map { _ in "(origin = ? AND counter > ? AND counter <= ?)" }.joined(separator: " OR ")
        var arguments = StatementArguments()
        for (origin, counter) in wanted { arguments += [origin, basis[origin, default: 0], counter] }
        return ("(\(sql))", arguments)
    }
}

/// An interview's facts as the source has them, and its status, case key and latest change as
/// derived from the source's revisions (which are all of its revisions when it is new to the target).
struct TouchedInterview: Sendable {
    var form, surveyor, device, mode, created: String
    var status = InterviewStatus.draft.rawValue
    var key: String?
    var newest = ""
}

/// A file's and its WAL's identity, size and last change: to notice a source replaced or written
/// to between its check and its write.
struct FileStamp: Sendable, Equatable {
    var values: [Int]

    init(path: String) {
        values = [path, path + "-wal"].flatMap { file -> [Int] in
            var info = stat()
            guard stat(file, &info) == 0 else { return [-1] }
            return [Int(info.st_dev), Int(info.st_ino), Int(info.st_size), info.st_mtim.tv_sec, info.st_mtim.tv_nsec]
        }
    }

    /// Whether two paths are one file (the same device and inode), whatever they are called.
    static func sameFile(_ a: String, _ b: String) -> Bool {
        var (x, y) = (stat(), stat())
        return stat(a, &x) == 0 && stat(b, &y) == 0 && x.st_dev == y.st_dev && x.st_ino == y.st_ino
    }
}

extension DataFile {
    func mergeSnapshot() throws -> MergeSnapshot {
        try read { db in try mergeSnapshot(db) }
    }

    func mergeSnapshot(_ db: Database) throws -> MergeSnapshot {
        let held = try Row.fetchAll(db, sql: "SELECT origin, counter FROM origin").map { ($0[0] as String, $0[1] as Int64) }
        return MergeSnapshot(held: Dictionary(uniqueKeysWithValues: held), engines: try targetEngines(db), extras: try MergeExtras.keys(db),
                             renames: try Rename.all(db), attachments: try MergeAttachments.keys(db))
    }
}

/// What a source is checked against and for: a data file or a server. The check is the same.
protocol MergeTarget {
    /// The target's path or URL, for messages.
    var location: String { get }
    var environment: StoreEnvironment { get }
    var formEngines: FormEngines { get }
}

/// Engines are made once per form and kept: a merge of hundreds of files sees the same few forms.
final class FormEngines: Sendable {
    private let cache = Mutex<[String: FormEngine]>([:])

    func cached(_ sha256: String) -> FormEngine? { cache.withLock { $0[sha256] } }

    func engine(for form: Form) throws -> FormEngine {
        if let engine = cached(form.sha256) { return engine }
        let engine = try FormEngine(form: form)
        cache.withLock { $0[form.sha256] = engine }
        return engine
    }
}

extension DataFile: MergeTarget {}

extension MergeTarget {
    /// Checks a source against what the target held at `snapshot`: read-only, safe on any thread.
    /// Nothing is taken on trust: its pages (quick_check), schema, forms, every value against its
    /// form, and that every revision names an interview it holds.
    func check(source path: String, against snapshot: MergeSnapshot) throws -> MergeOffer {
        let source = try DataFile(path: path, mode: .untrusted, environment: environment)
        // After opening, which may create the WAL.
        let stamp = FileStamp(path: path)
        // A copy of the target (the same origin, another inode) is merged like any other file.
        guard !FileStamp.sameFile(path, location) else { throw StoreError.refused(path: path, reason: "it is the target itself") }
        var offer = MergeOffer(path: path, label: path, sourceID: source.id, stamp: stamp, schemaVersion: source.schemaVersion)
        offer.immutable = source.immutable
        if source.walUnread {
            offer.warnings.append("its -wal could not be read here (SQLite cannot open it beside the file, in a read-only folder say), so answers written last may be missing: ask for it again as one file, made with canvass pack")
        }
        let held = snapshot.held
        // A branch renamed after a divergence never comes back under its old names, either way.
        for rename in snapshot.renames where try source.holds(rename) {
            throw StoreError.refused(path: path, reason: "it holds revisions \(rename.previous):\(rename.first) and after under the names this file gave up when it renamed them \(rename.origin) after a divergence (canvass log \(location)); fork it the same way first: canvass fork \(path) --against \(location)")
        }
        if source.schemaVersion >= 4 { offer.renames = try source.read { db in try Rename.all(db) } }

        // "Already merged" is decided from the source's log itself (a few lookups per origin, no
        // row read): every origin at or below what the target holds, and no file the target
        // lacks. The digests there must then equal the target's, which the write checks.
        let offeredForms = try source.read { db in try String.fetchAll(db, sql: "SELECT sha256 FROM form") }
        let formsKnown = offeredForms.allSatisfy { snapshot.engines[$0] != nil }
        if formsKnown, source.schemaVersion >= 4, let tips = try source.read({ db in try DataFile.tips(db) }), !tips.isEmpty,
           tips.allSatisfy({ $0.counter <= held[$0.origin, default: 0] }),
           try source.read({ db in try MergeExtras.keys(db) }).isSubset(of: snapshot.extras),
           try source.read({ db in try MergeAttachments.keys(db) }).isSubset(of: snapshot.attachments) {
            offer.alreadyMerged = true
            offer.agreements = tips
            return offer
        }
        // Otherwise the file is checked whole before anything of it is used.
        try source.quickCheck()
        var engines = snapshot.engines
        // A form we hold already is used from here: the source's copy is not needed.
        let unknown = offeredForms.filter { engines[$0] == nil }
        let definitions = unknown.isEmpty ? [] : try source.read { db in
            try Row.fetchAll(db, sql: "SELECT sha256, form_id, version, definition FROM form")
        }
        for row in definitions where unknown.contains(row["sha256"]) {
            let sha: String = row["sha256"]
            guard let form = try? Form(canonicalJSON: Data((row["definition"] as String).utf8)), form.sha256 == sha,
                form.formId == (row["form_id"] as String), form.version == (row["version"] as String)
            else { throw StoreError.refused(path: path, reason: "its embedded form \(row["form_id"] as String) does not match its sha256") }
            if let error = FormChecker.check(form).first(where: { $0.severity == .error }) {
                throw StoreError.refused(path: path, reason: "its embedded form \(form.formId) \(form.version) is not valid: \(error.message)")
            }
            engines[sha] = try formEngines.engine(for: form)
            offer.newForms.append(form)
        }
        offer.engines = engines
        try source.read { db in
            try scan(db, into: &offer, held: held, engines: engines)
            if source.schemaVersion >= 4 {
                let extras = try MergeExtras.check(db, forms: Set(offeredForms), path: path)
                offer.newExtras = !extras.isSubset(of: snapshot.extras)
            }
            offer.newAttachments = try MergeAttachments.check(db, known: snapshot.attachments, path: path)
        }
        if offer.wanted.isEmpty && offer.newForms.isEmpty && !offer.newExtras && offer.newAttachments.isEmpty {
            offer.alreadyMerged = true
            return offer
        }
        offer.sha256 = try DataFile.sha256(ofFileAt: path)
        return offer
    }

    /// One pass over the source's log, in key order, reading with SQLite's own calls: the real
    /// version vector, and for every row the target lacks its checks and what it changes.
    ///
    /// Each origin's new rows must follow on from what the target holds, without a gap, and
    /// chain their digests from the target's last one: the source's digest there becomes an
    /// agreement, which the write checks against the target's. Each new row's digest is worked
    /// out from its content and must equal the one stored (a source older than digests has
    /// none: its whole chain is worked out, and the copy stores it).
    ///
    /// The rows checked here must be exactly the rows SQL copies later (`MergeOffer.filter`), and
    /// Swift's strings, which equate canonically equivalent text, must mean what SQLite's bytes
    /// mean. So every column must have the type Canvass writes, text must be valid UTF-8, and ids
    /// and field names must be in NFC (values are checked for NFC with the form).
    private func scan(_ db: Database, into offer: inout MergeOffer, held: [String: Int64], engines: [String: FormEngine]) throws {
        let path = offer.path
        func refusal(_ reason: String) -> StoreError { .refused(path: path, reason: reason) }
        var interviews: [String: TouchedInterview] = [:]
        let facts = try db.makeStatement(sql: "SELECT id, form, surveyor, device, mode, created FROM interview")
        let factRows = ValueRows(facts.sqliteStatement)
        try withExtendedLifetime(facts) {
            while try factRows.step() {
                guard let id = factRows.validText(0), id.isNFC, let form = factRows.validText(1), let surveyor = factRows.validText(2),
                      let device = factRows.validText(3), let mode = factRows.validText(4), let created = factRows.validText(5)
                else { throw refusal("an interview's id or facts are not NFC text as Canvass writes them") }
                interviews[id] = TouchedInterview(form: form, surveyor: surveyor, device: device, mode: mode, created: created)
            }
        }
        // Each form by number, with the fields its status and case key need (nil: all of them,
        // the key being calculated).
        let forms = engines.keys.sorted()
        let formNumber = Dictionary(uniqueKeysWithValues: forms.enumerated().map { ($1, $0) })
        let keyFields = forms.map { engines[$0]!.caseKeyFields.map { Set([ReservedField.status] + $0) } }

        var checked = Set<Checked>()
        var touched: [String: TouchedInterview] = [:]
        var deriving: [String: [Revision]] = [:]
        var links: [(child: Revision, parent: RevisionID)] = []
        var orphans = 0
        var origins: [(origin: String, counter: Int64)] = []
        // The chain: the counter and digest of the last row seen of the current origin.
        var last: (counter: Int64, digest: [UInt8]) = (0, RevisionDigest.start)
        var originHeld: Int64 = 0
        let stored = offer.schemaVersion >= 4
        // The first row whose content is not what its digest says; said after the checks that
        // name a field or a link, which say more.
        var altered: RevisionID?
        func endOrigin() {
            // A source at or behind the target on this origin: its last digest must be the target's there.
            if let origin = origins.last, last.counter > 0, last.counter <= originHeld {
                offer.agreements.append(Agreement(origin: origin.origin, counter: last.counter, digest: last.digest))
            }
        }
        // An interview's rows mostly come together: it is looked up once per run of them.
        var run: (id: String, facts: TouchedInterview, form: Int)?
        func endRun() { if let run { touched[run.id] = run.facts } }
        let statement = try db.makeStatement(sql: """
            SELECT origin, counter, interview, field, value, hlc, time, parents, author, device\(stored ? ", digest" : "")
            FROM revision ORDER BY origin, counter
            """)
        let rows = ValueRows(statement.sqliteStatement)
        try withExtendedLifetime(statement) {
            while try rows.step() {
                guard rows.isInteger(1) else { throw refusal("a revision's counter is not a whole number") }
                let counter = Int64(rows.int(1))
                if origins.isEmpty || !rows.equals(0, origins[origins.count - 1].origin) {
                    endOrigin()
                    guard let origin = rows.validText(0), !origin.isEmpty, origin.isNFC else {
                        throw refusal("a revision's origin is not NFC text as Canvass writes it")
                    }
                    origins.append((origin, counter))
                    originHeld = held[origin, default: 0]
                    last = (0, RevisionDigest.start)
                }
                origins[origins.count - 1].counter = counter
                guard counter > originHeld else {
                    last = (counter, stored ? rows.digest(10) : rows.chain(after: last.digest))
                    continue
                }
                let id = RevisionID(origin: origins[origins.count - 1].origin, counter: counter)
                guard counter == last.counter + 1 else {
                    throw refusal("its revisions of origin \(id.origin) skip from \(last.counter) to \(counter); an origin's revisions are numbered without gaps")
                }
                if counter == originHeld + 1, originHeld > 0 {
                    offer.agreements.append(Agreement(origin: id.origin, counter: originHeld, digest: last.digest))
                }
                if run == nil || !rows.equals(2, run!.id) {
                    endRun()
                    run = nil
                    guard let interview = rows.validText(2), interview.isNFC else { throw refusal("revision \(id) names an interview id not as Canvass writes it") }
                    guard let facts = touched[interview] ?? interviews[interview] else {
                        orphans += 1
                        last = (counter, last.digest)
                        continue
                    }
                    guard let form = formNumber[facts.form] else { throw refusal("an interview uses a form it does not embed") }
                    run = (interview, facts, form)
                }
                guard let field = rows.validText(3), rows.isInteger(5), let time = rows.validText(6),
                      rows.isNull(4) || rows.validText(4) != nil, let parentsText = rows.emptyText(7) ? "" : rows.validText(7),
                      rows.isValidText(8), rows.isValidText(9)
                else { throw refusal("revision \(id) has a column that is not what Canvass writes") }
                let digest = rows.chain(after: last.digest)
                if stored && altered == nil && !rows.digestEquals(10, digest) { altered = id }
                last = (counter, digest)
                let value = rows.validText(4), form = run!.form
                if checked.insert(Checked(form: form, field: Exact(text: field), value: value.map { Exact(text: $0) })).inserted,
                   let problem = engines[forms[form]]!.problem(field: field, value: value) {
                    throw refusal(problem)
                }
                let hlc = Int64(rows.int(5))
                let parents = parentsText.isEmpty ? [] : Writer.parseParents(parentsText)
                guard parentsText.isEmpty || Writer.formatParents(parents).utf8.elementsEqual(parentsText.utf8), field != ReservedField.note || parents.isEmpty else {
                    throw refusal("revision \(id) names its parents in a way Canvass never writes")
                }
                offer.maxHLC = max(offer.maxHLC, hlc)
                if time > run!.facts.newest { run!.facts.newest = time }
                let derives = keyFields[form]?.contains(field) ?? true
                guard derives || !parents.isEmpty else { continue }
                let revision = Revision(id: id, interview: run!.id, field: field, value: value, author: "", device: "", hlc: hlc, time: time, parents: parents)
                for parent in parents { links.append((revision, parent)) }
                offer.superseded += parents
                if derives { deriving[run!.id, default: []].append(revision) }
            }
            endRun()
            endOrigin()
        }
        if orphans > 0 { throw refusal("\(orphans) revisions name interviews it does not hold") }
        // A parent is an earlier revision of the same field of the same interview, held in the same
        // file: so an interview's history is all reachable from its heads, and has no cycle.
        let parent = try db.makeStatement(sql: """
            SELECT 1 FROM revision WHERE origin = ? AND counter = ? AND interview = ? AND field = ? AND typeof(hlc) = 'integer' AND hlc < ?
            """)
        for (child, id) in links where try Bool.fetchOne(parent, arguments: [id.origin, id.counter, child.interview, child.field, child.hlc]) != true {
            throw refusal("revision \(child.id) names a parent, \(id), that is not an earlier revision of its field in this file")
        }
        if let altered {
            throw refusal("revision \(altered) does not match its digest: the file was changed after Canvass wrote it (by hand, or by another program)")
        }
        for (id, facts) in touched {
            touched[id] = Self.derive(facts, from: deriving[id] ?? [], engine: engines[facts.form])
        }
        offer.interviews = touched
        offer.basis = Dictionary(origins.map { ($0.origin, held[$0.origin, default: 0]) }, uniquingKeysWith: max)
        offer.wanted = origins.filter { $0.counter > held[$0.origin, default: 0] }
    }

    /// Status and case key from an interview's revisions: the latest status head, and the key
    /// from the values of the fields it names.
    static func derive(_ facts: TouchedInterview, from revisions: [Revision], engine: FormEngine?) -> TouchedInterview {
        var facts = facts
        var answers: Answers = [:]
        var statusHeads: [Revision] = []
        for (field, its) in Dictionary(grouping: revisions, by: \.field) {
            let state = FieldState(revisions: its)
            if field == ReservedField.status { statusHeads = state.heads }
            if !ReservedField.isReserved(field), let value = state.value { answers[field] = value }
        }
        facts.status = statusHeads.max { ($0.hlc, $0.id) < ($1.hlc, $1.id) }?.value ?? InterviewStatus.draft.rawValue
        facts.key = engine?.caseKey(answers)
        return facts
    }
}

/// Checked once each, byte for byte: two spellings of one text are two values to check.
private struct Exact: Hashable {
    var text: String
    static func == (a: Exact, b: Exact) -> Bool { a.text.utf8.elementsEqual(b.text.utf8) }
    func hash(into hasher: inout Hasher) {
        var text = text
        text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}
private struct Checked: Hashable { var form: Int; var field: Exact; var value: Exact? }
