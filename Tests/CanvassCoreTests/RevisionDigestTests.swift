import CanvassCore
import Testing

/// The chain's content: every column counts, NULL is not empty text, and a digest depends on
/// the one before it.
struct RevisionDigestTests {
    let revision = Revision(id: RevisionID(origin: "o", counter: 1), interview: "i", field: "q", value: "Hài lòng", author: "lan",
                            device: "d", hlc: 7, time: "2026-12-04T00:00:00.000Z", parents: [])

    @Test func everyColumnChangesTheDigest() {
        let base = RevisionDigest.of(revision, after: RevisionDigest.start)
        #expect(base.count == 32)
        var changes: [Revision] = []
        for change in 0..<9 {
            var other = revision
            switch change {
            case 0: other.id.origin = "p"
            case 1: other.id.counter = 2
            case 2: other.interview = "j"
            case 3: other.field = "r"
            case 4: other.value = nil
            case 5: other.author = "minh"
            case 6: other.device = "e"
            case 7: other.hlc = 8
            default: other.parents = [RevisionID(origin: "o", counter: 0)]
            }
            changes.append(other)
        }
        let digests = changes.map { RevisionDigest.of($0, after: RevisionDigest.start) }
        #expect(Set(digests + [base]).count == 10)
        var empty = revision
        empty.value = ""
        #expect(RevisionDigest.of(empty, after: RevisionDigest.start) != digests[4])
        #expect(RevisionDigest.of(revision, after: base) != base)
    }

    /// Files keep these digests: a change to the encoding would make every file diverge. The
    /// value was worked out apart, by Python's hashlib over the encoding as documented: 32 zero
    /// bytes, then each column tagged (text 0x01 and a big-endian u64 length, NULL 0x00, integer
    /// 0x02 and 8 big-endian bytes), in the log's column order.
    @Test func theEncodingIsFixed() {
        #expect(RevisionDigest.of(revision, after: RevisionDigest.start).hex == "7c281ce23445f79f5f6914747f909c0cdaed74fce9bae89941e2c3875c6ab63f")
    }
}
