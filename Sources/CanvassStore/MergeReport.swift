/// What merging one source did to the target.
public struct MergeReport: Sendable, Codable, Hashable {
    public enum Outcome: String, Sendable, Codable {
        case merged
        case alreadyMerged = "already-merged"
        case refused
    }

    public var path: String
    public var fileID: String?
    public var outcome: Outcome
    public var reason: String?
    public var newForms = 0
    public var newInterviews = 0
    public var newRevisions = 0
    public var changedInterviews = 0
    /// Said whatever the outcome: an unread -wal, form definitions shown apart.
    public var warnings: [String] = []
    /// Why a diverged source was refused, for scripts.
    public var divergence: Divergence?

    enum CodingKeys: String, CodingKey {
        case path, outcome, reason, warnings, divergence
        case fileID = "file_id"
        case newForms = "new_forms"
        case newInterviews = "new_interviews"
        case newRevisions = "new_revisions"
        case changedInterviews = "changed_interviews"
    }

    public init(path: String, fileID: String? = nil, outcome: Outcome, reason: String? = nil) {
        self.path = path
        self.fileID = fileID
        self.outcome = outcome
        self.reason = reason
    }

    /// A source refused, with the reason people read and, if it diverged, where.
    static func refused(_ path: String, _ error: Error, warnings: [String] = []) -> MergeReport {
        let error = DataFile.describe(error, path: path)
        var report = MergeReport(path: path, outcome: .refused, reason: error.errorDescription)
        if case .diverged(let divergence) = error { report.divergence = divergence }
        report.warnings = warnings
        return report
    }
}
