import CanvassCore
import Crypto
import Foundation

/// What an approval approved, and how an edit made after it shows: the same in a file and on a
/// server, since an approval made in one is checked in the other.
enum Approval {
    /// A digest of an interview's answer heads, reserved fields left out, in byte order of field.
    static func digest(_ heads: [(field: String, heads: String)]) -> String {
        var hasher = SHA256()
        let answers = heads.filter { $0.field.utf8.first != UInt8(ascii: "_") }
            .sorted { $0.field.utf8.lexicographicallyPrecedes($1.field.utf8) }
        for (field, heads) in answers { hasher.update(data: Data("\(field)=\(heads)\n".utf8)) }
        return Array(hasher.finalize()).hex
    }

    /// An approved interview edited since, shown as a conflict on its status: the approval
    /// against its latest edit.
    static func editedSince(_ interview: String, history: [Revision], side: (Revision) -> Conflict.Side) -> Conflict {
        var sides = history.last { $0.field == ReservedField.status }.map { [side($0)] } ?? []
        if let edit = history.last(where: { !ReservedField.isReserved($0.field) }) {
            var edited = side(edit)
            edited.value = "edited \(edit.field)"
            sides.append(edited)
        }
        return Conflict(interview: interview, field: ReservedField.status, values: sides)
    }
}
