import Foundation

/// area(), distance(), geofence() and intersects() on typed coordinates: a geopoint is
/// "latitude longitude [altitude accuracy]", a geotrace or geoshape is geopoints joined by ";".
/// The formulas are JavaRosa's (GeoUtils): a sphere of the Earth's equatorial radius.
extension ExpressionEvaluator {
    struct LatLong { var latitude, longitude: Double }

    static let earthRadius = 6_378_100.0

    func geoFunction(_ function: ExpressionFunction, _ args: [ExpressionNode]) throws(ExpressionError) -> Value {
        switch function {
        case .area, .enclosedArea:
            return .number(Self.area(try fieldPoints(args[0], function)))
        case .distance:
            if args.count > 1 {
                var points: [LatLong] = []
                for arg in args { points.append(try point(try text(arg), function, at: arg)) }
                return .number(Self.distance(points))
            }
            let value = try evaluate(args[0])
            switch value {
            case .nodeset: return .number(Self.distance(try fieldPoints(args[0], function)))
            case .string(let text): return .number(Self.distance(try points(text, function, at: args[0])))
            default: throw error("distance() needs a geotrace, a geoshape, a field, or two geopoints or more", at: args[0].offset)
            }
        case .geofence:
            let location = try point(try text(args[0]), function, at: args[0])
            return .boolean(Self.isInside(location, try fieldPoints(args[1], function)))
        default:
            let value = try scalar(args[0])
            return .boolean(Self.intersects(try points(string(value), function, at: args[0])))
        }
    }

    /// The points of a field: one node holds a geotrace or geoshape, several nodes are one geopoint each.
    private func fieldPoints(_ node: ExpressionNode, _ function: ExpressionFunction) throws(ExpressionError) -> [LatLong] {
        guard case .nodeset(let nodes) = try evaluate(node) else {
            throw error("\(function.rawValue)() needs a field (a ${name} reference) here", at: node.offset)
        }
        if nodes.count == 1 { return try points(string(nodes[0]), function, at: node) }
        var result: [LatLong] = []
        for value in nodes { result.append(try point(string(value), function, at: node)) }
        return result
    }

    private func points(_ text: String, _ function: ExpressionFunction, at node: ExpressionNode) throws(ExpressionError) -> [LatLong] {
        var result: [LatLong] = []
        for part in text.split(separator: ";", omittingEmptySubsequences: false) {
            result.append(try point(String(part), function, at: node))
        }
        return result
    }

    /// A geopoint as JavaRosa casts one: up to four numbers separated by spaces, missing ones 0.
    private func point(_ text: String, _ function: ExpressionFunction, at node: ExpressionNode) throws(ExpressionError) -> LatLong {
        let parts = text.split(separator: " ")
        var numbers: [Double] = []
        for part in parts {
            guard numbers.count < 4, let number = Double(part) else {
                throw error("\(function.rawValue)() was given '\(text)', which is not a location (latitude longitude [altitude accuracy])", at: node.offset)
            }
            numbers.append(number)
        }
        return LatLong(latitude: numbers.first ?? 0, longitude: numbers.count > 1 ? numbers[1] : 0)
    }

    static func radians(_ degrees: Double) -> Double { degrees * .pi / 180 }

    /// The sum of the great-circle distances (spherical law of cosines) from each point to the next.
    static func distance(_ points: [LatLong]) -> Double {
        guard points.count >= 2 else { return 0 }
        var total = 0.0
        for i in 1..<points.count {
            let a = points[i - 1], b = points[i]
            let deltaLongitude = radians(a.longitude - b.longitude)
            let phi1 = radians(a.latitude), phi2 = radians(b.latitude)
            total += Foundation.acos(Foundation.sin(phi1) * Foundation.sin(phi2) + Foundation.cos(phi1) * Foundation.cos(phi2) * Foundation.cos(deltaLongitude)) * earthRadius
        }
        return total
    }

    /// The area enclosed by the points, in square metres, from triangles fanned out from the first.
    static func area(_ points: [LatLong]) -> Double {
        guard points.count >= 3 else { return 0 }
        let circumference = 2 * earthRadius * Double.pi
        let reference = points[0]
        let ys = points.dropFirst().map { ($0.latitude - reference.latitude) * circumference / 360 }
        let xs = points.dropFirst().map { ($0.longitude - reference.longitude) * circumference * Foundation.cos(radians($0.latitude)) / 360 }
        var sum = 0.0
        for i in 1..<xs.count { sum += (ys[i - 1] * xs[i] - xs[i - 1] * ys[i]) / 2 }
        return Swift.abs(sum)
    }

    /// Whether `point` lies inside the closed polygon (W. R. Franklin's crossing test).
    static func isInside(_ point: LatLong, _ polygon: [LatLong]) -> Bool {
        var inside = false
        guard polygon.count > 1 else { return false }
        for i in 1..<polygon.count {
            let p1 = polygon[i - 1], p2 = polygon[i]
            if (p2.latitude > point.latitude) != (p1.latitude > point.latitude),
               point.longitude < (p1.longitude - p2.longitude) * (point.latitude - p2.latitude) / (p1.latitude - p2.latitude) + p2.longitude {
                inside.toggle()
            }
        }
        return inside
    }

    /// Whether two segments of the trace or shape that do not follow each other cross or touch.
    static func intersects(_ points: [LatLong]) -> Bool {
        guard points.count >= 4 else { return false }
        let closed = points.first.map { first in points.last.map { $0.latitude == first.latitude && $0.longitude == first.longitude } ?? false } ?? false
        let count = points.count - 1  // segments
        func orientation(_ a: LatLong, _ b: LatLong, _ c: LatLong) -> Double {
            (b.longitude - a.longitude) * (c.latitude - a.latitude) - (b.latitude - a.latitude) * (c.longitude - a.longitude)
        }
        func onSegment(_ a: LatLong, _ b: LatLong, _ c: LatLong) -> Bool {
            Swift.min(a.longitude, b.longitude) <= c.longitude && c.longitude <= Swift.max(a.longitude, b.longitude)
                && Swift.min(a.latitude, b.latitude) <= c.latitude && c.latitude <= Swift.max(a.latitude, b.latitude)
        }
        for i in 0..<count {
            for j in (i + 2)..<Swift.max(count, i + 2) where !(closed && i == 0 && j == count - 1) {
                let a = points[i], b = points[i + 1], c = points[j], d = points[j + 1]
                let o1 = orientation(a, b, c), o2 = orientation(a, b, d), o3 = orientation(c, d, a), o4 = orientation(c, d, b)
                if ((o1 > 0 && o2 < 0) || (o1 < 0 && o2 > 0)) && ((o3 > 0 && o4 < 0) || (o3 < 0 && o4 > 0)) { return true }
                if (o1 == 0 && onSegment(a, b, c)) || (o2 == 0 && onSegment(a, b, d))
                    || (o3 == 0 && onSegment(c, d, a)) || (o4 == 0 && onSegment(c, d, b)) { return true }
            }
        }
        return false
    }
}
