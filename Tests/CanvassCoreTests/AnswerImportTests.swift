import CanvassCore
import Foundation
import Testing

struct AnswerImportTests {
    func importer() throws -> AnswerImport {
        AnswerImport(engine: try FormEngine(form: try Repo.yaml(FormEngineTests.roster)))
    }

    func object(_ json: String) throws -> [String: JSONValue] {
        guard case .object(let object) = try JSONDecoder().decode(JSONValue.self, from: Data(json.utf8)) else {
            throw CancellationError()
        }
        return object
    }

    @Test func convertsTypedValuesAndRepeats() throws {
        let result = try importer().convert(try object(#"{"_id": "a1", "cluster": "HN001", "hh": 7, "size": "1", "members": [{"mname": "Lan", "age": 40.0, "rel": "head"}], "check": true}"#))
        #expect(result.id == "a1")
        #expect(result.answers == ["cluster": "HN001", "hh": "7", "size": "1", "members": "1", "members[1]/mname": "Lan",
                                   "members[1]/age": "40", "members[1]/rel": "head", "check": "OK"])
    }

    @Test func refusesUnknownFieldsAndWrongTypesByName() throws {
        let importer = try importer()
        #expect(throws: AnswerImport.Problem(field: "hhh", message: "is not a field of the form; check the name")) {
            try importer.convert(try object(#"{"hhh": 1}"#))
        }
        #expect(throws: AnswerImport.Problem(field: "age", message: "belongs inside the repeat 'members', not here")) {
            try importer.convert(try object(#"{"age": 1}"#))
        }
        #expect(throws: AnswerImport.Problem(field: "hh", message: "must be a whole number")) {
            try importer.convert(try object(#"{"hh": 7.5}"#))
        }
        #expect(throws: AnswerImport.Problem(field: "members[1]/rel", message: "must be one of the choices (head, child)")) {
            try importer.convert(try object(#"{"members": [{"rel": "boss"}]}"#))
        }
        #expect(throws: AnswerImport.Problem(field: "members", message: "is a repeat: give a list of objects")) {
            try importer.convert(try object(#"{"members": 3}"#))
        }
    }
}
