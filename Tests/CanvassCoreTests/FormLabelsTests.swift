import CanvassCore
import Testing

struct FormLabelsTests {
    let a = String(repeating: "a", count: 64), b = String(repeating: "b", count: 64), c = String(repeating: "c", count: 64)

    func definitions(_ shas: [String], version: String = "1") -> [FormLabels.Definition] {
        shas.map { FormLabels.Definition(sha256: $0, formId: "f", version: version) }
    }

    @Test func aDefinitionAloneKeepsItsVersion() {
        #expect(FormLabels.labels(definitions([a]), equivalent: []) == [a: "1"])
    }

    @Test func definitionsThatDifferAreAllShownApartWhateverTheirOrder() {
        let expected = [a: "1~aaaaaaaa", b: "1~bbbbbbbb"]
        #expect(FormLabels.labels(definitions([a, b]), equivalent: []) == expected)
        #expect(FormLabels.labels(definitions([b, a]), equivalent: []) == expected)
    }

    @Test func equivalentDefinitionsShareOneLabelAndAllEquivalentAreOneVersion() {
        #expect(FormLabels.labels(definitions([a, b, c]), equivalent: [(c, b)]) == [a: "1~aaaaaaaa", b: "1~bbbbbbbb", c: "1~bbbbbbbb"])
        #expect(FormLabels.labels(definitions([a, b, c]), equivalent: [(c, b), (b, a)]) == [a: "1", b: "1", c: "1"])
        #expect(FormLabels.labels(definitions([a, b, c]), equivalent: [(b, a), (c, b)]) == [a: "1", b: "1", c: "1"])
    }

    @Test func equivalenceAcrossVersionsIsIgnored() {
        let both = definitions([a]) + definitions([b], version: "2")
        #expect(FormLabels.labels(both, equivalent: [(a, b)]) == [a: "1", b: "2"])
    }

    @Test func onlyWordingMayDifferForDefinitionsToBeEquivalent() throws {
        let form = try FormLoader.load(yaml: """
            form_id: f
            version: "1"
            survey:
              - {type: integer, name: age, label: {vi: "Tuổi", en: Age}, hint: "số năm"}
              - {type: select_one yn, name: ok, label: OK}
            choices:
              yn: [{name: "1", label: Có}, {name: "2", label: Không}]
            """, file: "f.yaml")
        var relabelled = form
        relabelled.survey[0].label = .plain("Tuổi tròn")
        relabelled.survey[0].hint = nil
        relabelled.choices[0].choices[0].label = .plain("Vâng")
        #expect(form.differenceBeyondWording(from: relabelled) == nil)
        var retyped = form
        retyped.survey[0].type = FieldType(parsing: "decimal")
        #expect(form.differenceBeyondWording(from: retyped) == "field 'age' differs in its type, expressions or children")
        var rechoiced = form
        rechoiced.choices[0].choices[1].name = "0"
        #expect(form.differenceBeyondWording(from: rechoiced) == "choice list 'yn' differs in its choices")
        var renamed = form
        renamed.survey[1].name = "okay"
        #expect(form.differenceBeyondWording(from: renamed) == "field 'ok' is in only one of them")
    }
}
