import Crypto
import Foundation
import Synchronization

/// This machine, as a copy of a data file on another machine cannot be.
///
/// A laptop cloned from a disk image keeps the image's files, inode numbers and usually even
/// `/etc/machine-id`; what it cannot keep is the serial number of its own disk. So the identity
/// is a digest of both (and of the host name when there is no machine id), per file system
/// device. Hashed: neither leaves the machine. Where the serial cannot be read (a virtual disk,
/// a container's overlay), the machine id alone stands.
public enum Machine {
    public static func identity(device: UInt64) -> String {
        if let known = cache.withLock({ $0[device] }) { return known }
        var parts = [machineID ?? ProcessInfo.processInfo.hostName]
        if let serial = diskSerial(device: device) { parts.append(serial) }
        let identity = Array(Array(SHA256.hash(data: Data(parts.joined(separator: "\n").utf8))).prefix(8)).hex
        cache.withLock { $0[device] = identity }
        return identity
    }

    private static let cache = Mutex<[UInt64: String]>([:])

    static var machineID: String? {
        for path in ["/etc/machine-id", "/var/lib/dbus/machine-id"] {
            if let text = try? String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty {
                return text
            }
        }
        return nil
    }

    /// The serial of the disk behind a device number, from sysfs (`/sys/dev/block/MAJOR:MINOR`,
    /// or its parent disk for a partition), or nil.
    static func diskSerial(device: UInt64) -> String? {
        // Linux's dev_t: the major number in bits 8-19 and 32-43, the minor in 0-7 and 20-31.
        let major = ((device >> 8) & 0xfff) | ((device >> 32) & ~UInt64(0xfff))
        let minor = (device & 0xff) | ((device >> 12) & ~UInt64(0xff))
        guard major != 0 else { return nil }
        var disk = URL(fileURLWithPath: "/sys/dev/block/\(major):\(minor)").resolvingSymlinksInPath()
        if FileManager.default.fileExists(atPath: disk.appendingPathComponent("partition").path) { disk.deleteLastPathComponent() }
        for name in ["serial", "device/serial", "wwid", "device/wwid"] {
            if let text = try? String(contentsOf: disk.appendingPathComponent(name), encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty {
                return text
            }
        }
        return nil
    }
}
