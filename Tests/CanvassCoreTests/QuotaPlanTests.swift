import CanvassCore
import Testing

struct QuotaPlanTests {
    static let plan = """
        form: sipas_2017
        cells:
          - name: Sở Tư pháp
            filter: "${unit} = 'stp'"
            target: 3
            allocations: {lan: 2, minh: 1}
          - name: everyone else
            filter: "${unit} != 'stp'"
            target: 2
        """

    @Test func loadsCellsInOrder() throws {
        let plan = try QuotaPlan.load(yaml: Self.plan, file: "plan.yaml")
        #expect(plan.form == "sipas_2017")
        #expect(plan.cells.map(\.name) == ["Sở Tư pháp", "everyone else"])
        #expect(plan.cells[0].allocations.map(\.surveyor) == ["lan", "minh"])
        #expect(plan.problems(with: try Repo.form("sipas-2017.yaml")).isEmpty)
    }

    @Test func mistakesAreNamedWithTheirLine() {
        func error(_ yaml: String) -> String {
            do {
                _ = try QuotaPlan.load(yaml: yaml, file: "plan.yaml")
                return "loaded"
            } catch {
                return error.description
            }
        }
        #expect(error("cells:\n  - name: x\n    filter: \"${a} = \"\n    target: 1\n").hasPrefix("plan.yaml:3: the filter does not parse"))
        #expect(error("cells:\n  - name: x\n    filter: \"true()\"\n    target: 3\n    allocations: {lan: 1}\n")
            == "plan.yaml:2: cell 'x': the allocations add up to 1, not the target 3")
        #expect(error("cells:\n  - name: x\n    filter: \"true()\"\n    traget: 3\n") == "plan.yaml:4: unknown key 'traget' in a cell; did you mean 'target'?")
        #expect(error("cells:\n  - name: x\n    filter: \"true()\"\n    target: -2\n").contains("must be a whole number"))
        #expect(error("form: x\n") == "plan.yaml: the plan has no cells; add a list under 'cells:'")
    }

    @Test func filtersNamingUnknownFieldsAreFound() throws {
        let plan = try QuotaPlan.load(yaml: "cells:\n  - {name: x, filter: \"${province} = 'hn'\", target: 1}\n", file: "p")
        #expect(plan.problems(with: try Repo.form("sipas-2017.yaml")) == ["cell 'x': the filter names 'province', which is not a field of sipas_2017"])
    }

    @Test func countsCompletedDraftsRemainingOvershootAndShares() throws {
        let plan = try QuotaPlan.load(yaml: Self.plan, file: "plan.yaml")
        var count = QuotaCount(plan.cells[0])
        for (status, surveyor) in [(InterviewStatus.completed, "lan"), (.approved, "lan"), (.draft, "minh"), (.discarded, "minh"),
                                   (.rejected, "lan")] {
            count.add(status: status, surveyor: surveyor)
        }
        #expect(count.completed == 2 && count.approved == 1 && count.drafts == 1 && count.remaining == 1 && count.overshoot == 0)
        #expect(count.isFull(for: "lan") && !count.isFull(for: "minh"))
        count.add(status: .completed, surveyor: "hoa")
        count.add(status: .completed, surveyor: "hoa")
        #expect(count.remaining == 0 && count.overshoot == 1 && count.isFull(for: "hoa"))
        #expect(count.surveyors.map(\.surveyor) == ["lan", "minh", "hoa"] && count.surveyors[2].target == nil)
    }
}
