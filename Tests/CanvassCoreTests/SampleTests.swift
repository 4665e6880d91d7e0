import CanvassCore
import Testing

struct SampleTests {
    @Test func marginFormula() {
        // n = ceil(N / (1 + N·E²)): 1000 at 5% -> 285.7 -> 286; 326 -> 179.6 -> 180; 10 -> 9.98 -> 10
        #expect(Sample.Size.margin(0.05).count(population: 1000) == 286)
        #expect(Sample.Size.margin(0.05).count(population: 326) == 180)
        #expect(Sample.Size.margin(0.05).count(population: 10) == 10)
        #expect(Sample.Size.fixed(50).count(population: 20) == 20)
    }

    @Test func stratifiedWithReserveAndNoRowTwice() {
        let strata = (0..<900).map { ["a", "b", "c"][$0 % 3] }
        let sample = Sample(strata: strata, size: .fixed(40), reserve: 0.25, seed: 42)
        #expect(sample.strata.map(\.stratum) == ["a", "b", "c"])
        #expect(sample.strata.map(\.official) == [40, 40, 40] && sample.strata.map(\.reserve) == [10, 10, 10])
        #expect(Set(sample.draws.map(\.row)).count == 150)
        for draw in sample.draws { #expect(strata[draw.row] == draw.stratum) }
        let reserveOrders = sample.draws.filter { $0.reserve && $0.stratum == "b" }.map(\.order)
        #expect(reserveOrders == Array(1...10))
    }

    @Test func sameSeedSameSampleOtherSeedOther() {
        let strata = Array(repeating: "", count: 500)
        let one = Sample(strata: strata, size: .fixed(50), reserve: 0, seed: 7)
        #expect(one == Sample(strata: strata, size: .fixed(50), reserve: 0, seed: 7))
        #expect(one.draws.map(\.row) != Sample(strata: strata, size: .fixed(50), reserve: 0, seed: 8).draws.map(\.row))
    }

    @Test func addingAStratumLeavesTheOthersAlone() {
        let before = Sample(strata: (0..<200).map { $0 < 100 ? "a" : "b" }, size: .fixed(10), reserve: 0.2, seed: 3)
        let after = Sample(strata: (0..<300).map { $0 < 100 ? "a" : $0 < 200 ? "b" : "c" }, size: .fixed(10), reserve: 0.2, seed: 3)
        #expect(before.draws == after.draws.filter { $0.stratum != "c" })
    }

    @Test func everyRowIsEquallyLikely() {
        // 20,000 draws of 1 from 10 rows: each row about 2,000 times (a biased shuffle shows at once).
        var counts = Array(repeating: 0, count: 10)
        for seed in 0..<20_000 {
            counts[Sample(strata: Array(repeating: "", count: 10), size: .fixed(1), reserve: 0, seed: UInt64(seed)).draws[0].row] += 1
        }
        #expect(counts.allSatisfy { (1_800...2_200).contains($0) }, "\(counts)")
    }
}
