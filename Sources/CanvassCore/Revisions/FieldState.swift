/// The state of one field derived from its revisions: heads, value, conflict.
public struct FieldState: Sendable, Hashable {
    /// Revisions no other revision supersedes, oldest first by clock.
    public var heads: [Revision]

    public init(revisions: [Revision]) {
        let superseded = Set(revisions.flatMap(\.parents))
        heads = revisions.filter { !superseded.contains($0.id) }.sorted { ($0.hlc, $0.id) < ($1.hlc, $1.id) }
    }

    /// Two heads with different values: people changed the answer without seeing each other's change.
    /// Heads that agree (converging edits) are not a conflict.
    public var isConflict: Bool { Set(heads.map(\.value)).count > 1 }

    /// The value when there is no conflict (nil when cleared or conflicting).
    public var value: String? { isConflict ? nil : heads.first?.value ?? nil }

    public var headIDs: [RevisionID] { heads.map(\.id).sorted() }
}
