import Foundation
import GRDB
import Testing
import TestSupport

/// Answers are personal data: files that hold them are the owner's only, messages name fields but
/// never show values, and nothing leaves the machine.
struct PrivacyTests {
    static func mode(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    /// Even under umask 000 (which would leave other files world-writable), data files, their WAL
    /// and shared-memory files, merged files, packed files and exports are 0600.
    @Test func filesHoldingAnswersAreTheOwnersOnly() throws {
        let dir = try Canvass.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let record = try Canvass.run(["record", Canvass.form("sipas-2017.yaml"), "--db", "a.canvass", "--surveyor", "lan", "--answers", "-"],
                                     in: dir, input: Canvass.sipas("a", count: 3), umask: "000")
        #expect(record.code == 0, "\(record.err)")
        #expect(try Canvass.run(["merge", "m.canvass", "a.canvass"], in: dir, environment: ["CANVASS_ID_PREFIX": "m"], umask: "000").code == 0)
        #expect(try Canvass.run(["export", "m.canvass", "-o", "m.jsonl"], in: dir, umask: "000").code == 0)
        #expect(try Canvass.run(["pack", "m.canvass", "-o", "usb.canvass"], in: dir, umask: "000").code == 0)
        let control = try Canvass.run(["form", "export", Canvass.form("household.yaml"), "-o", "form.xlsx"], in: dir, umask: "000")
        #expect(control.code == 0)
        for name in ["a.canvass", "m.canvass", "m.jsonl", "usb.canvass"] {
            #expect(try Self.mode(dir.appendingPathComponent(name).path) == 0o600, "\(name)")
        }
        // A form holds no answers: it is written as the umask says, which shows the umask was in force.
        #expect(try Self.mode(dir.appendingPathComponent("form.xlsx").path) == 0o666)

        // While an interview waits for an answer, its file's WAL and shared memory exist: 0600 too.
        let interview = try PipedInterview(form: Canvass.form("household.yaml"), db: "i.canvass", in: dir, umask: "000")
        #expect(interview.waitForQuestions(1))
        for name in ["i.canvass", "i.canvass-wal", "i.canvass-shm"] {
            #expect(try Self.mode(dir.appendingPathComponent(name).path) == 0o600, "\(name)")
        }
        interview.finish()
    }

    static let secret = "BÍ-MẬT-0987654321"

    /// The secret, and its digits alone, appear nowhere in what a command printed.
    static func expectNoSecret(_ result: Canvass.Result, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(!result.text.contains(secret) && !result.text.contains("0987654321"), "\(what) showed the answer: \(result.text.prefix(500))",
                sourceLocation: sourceLocation)
    }

    @Test func answersNeverAppearInMessages() throws {
        let dir = try Canvass.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let sipas = Canvass.form("sipas-2017.yaml"), sipas2023 = Canvass.form("sipas-2023.yaml")
        func record(_ form: String, _ db: String, _ json: String, _ extra: [String] = []) throws -> Canvass.Result {
            try Canvass.run(["record", form, "--db", db, "--surveyor", "lan", "--answers", "-"] + extra, in: dir, input: json + "\n",
                            environment: ["CANVASS_ID_PREFIX": db])
        }
        // Refused at entry: a wrong type, a wrong choice, a wrong choice among several.
        for (field, json, form) in [("form_no", "{\"form_no\": \"\(Self.secret)\"}", sipas),
                                    ("e1_1", "{\"e1_1\": \"\(Self.secret)\"}", sipas),
                                    ("channels", "{\"channels\": \"internet \(Self.secret)\"}", sipas2023)] {
            let result = try record(form, "refused.canvass", json)
            #expect(result.code == 1 && result.err.contains("'\(field)'"), "\(result.err)")
            Self.expectNoSecret(result, "record refusing \(field)")
        }
        // Accepted but invalid (a broken constraint): findings name the field, at record and validate.
        let phone = "{\"_id\": \"p1\", \"unit\": \"stp\", \"form_no\": 1, \"procedure\": \"x\", \"contact_consent\": \"yes\", \"phone\": \"\(Self.secret)\"}"
        for extra in [["--complete"], ["--json"]] {
            let result = try record(sipas, "invalid\(extra[0]).canvass", phone, extra)
            #expect(result.code == 1 && result.text.contains("phone"), "\(result.text)")
            Self.expectNoSecret(result, "record \(extra)")
        }
        for extra in [[], ["--json"]] {
            let validate = try Canvass.run(["validate", "invalid--complete.canvass"] + extra, in: dir)
            #expect(validate.code == 1 && validate.text.contains("phone"), "\(validate.text)")
            Self.expectNoSecret(validate, "validate \(extra)")
        }
        // A typed edit of the wrong type.
        let edit = try Canvass.run(["edit", "invalid--complete.canvass", "p1", "--set", "form_no=\(Self.secret)", "--as", "hoa"], in: dir)
        #expect(edit.code != 0 && edit.err.contains("form_no"), "\(edit.err)")
        Self.expectNoSecret(edit, "edit")
        // At the prompt, a refused answer is not echoed back.
        let interview = try Canvass.run(["interview", sipas, "--db", "prompt.canvass", "--surveyor", "lan"], in: dir,
                                        input: "stp\n\(Self.secret)\n")
        #expect(interview.out.contains("cần nhập một số nguyên"))
        Self.expectNoSecret(interview, "interview")

        // Wrong values inside a file given to merge: refused naming the field only.
        #expect(try record(sipas, "good.canvass", "{\"_id\": \"g1\", \"unit\": \"stp\", \"form_no\": 2, \"e1_1\": \"4\"}").code == 1)
        #expect(try record(sipas2023, "good23.canvass", "{\"_id\": \"c1\", \"channels\": \"internet\"}").code == 1)
        for (source, base, field, value) in [("s1.canvass", "good.canvass", "form_no", Self.secret),
                                             ("s2.canvass", "good.canvass", "e1_1", Self.secret),
                                             ("s3.canvass", "good23.canvass", "channels", "internet \(Self.secret)")] {
            #expect(try Canvass.run(["merge", source, base], in: dir, environment: ["CANVASS_ID_PREFIX": source]).code == 0)
            try DatabaseQueue(path: dir.appendingPathComponent(source).path).write { db in
                try db.execute(sql: "UPDATE revision SET value = ? WHERE field = ?", arguments: [value, field])
            }
            for extra in [[], ["--json"]] {
                let merge = try Canvass.run(["merge", "target.canvass", source] + extra, in: dir)
                #expect(merge.code == 1 && merge.out.contains("'\(field)'"), "\(merge.out)")
                Self.expectNoSecret(merge, "merge of \(source)")
            }
        }
    }

    /// Every command of a day's work runs under strace, which lists each socket() and connect()
    /// and every file opened for writing: none is an Internet socket, and nothing is written
    /// outside the working directory.
    @Test func noNetworkAndNoWritesElsewhere() throws {
        let strace = try #require(ExternalTool.find("strace"), "\(ExternalTool.missing("strace", from: "Debian's strace"))")
        let dir = try Canvass.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        var runCount = 0
        func traced(_ arguments: [String], input: String? = nil, expect code: Int32 = 0) throws -> [String] {
            runCount += 1
            let log = dir.appendingPathComponent("trace-\(runCount).txt").path
            let result = try Canvass.run(arguments, in: dir, input: input, environment: ["CANVASS_ID_PREFIX": "t\(runCount)"],
                                         prefix: [strace, "-f", "-qq", "-o", log, "-e", "trace=socket,connect,open,openat,creat"])
            #expect(result.code == code, "\(arguments): \(result.text.prefix(300))")
            let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").map(String.init)
            #expect(!lines.isEmpty, "strace wrote nothing for \(arguments)")
            return lines
        }
        func check(_ lines: [String], _ what: String) {
            let network = lines.filter { ($0.contains("socket(") && !$0.contains("socket(AF_UNIX")) || ($0.contains("connect(") && !$0.contains("AF_UNIX")) }
            #expect(network.isEmpty, "\(what) used the network: \(network)")
            let writes = lines.filter { $0.contains("O_WRONLY") || $0.contains("O_RDWR") || $0.contains("O_CREAT") || $0.contains("creat(") }
            let elsewhere = writes.filter { line in
                guard let path = line.split(separator: "\"").dropFirst().first else { return true }
                return path.hasPrefix("/") && !path.hasPrefix(dir.path) && !path.hasPrefix("/dev/")
            }
            #expect(elsewhere.isEmpty, "\(what) wrote outside its folder: \(elsewhere)")
        }
        // The method sees a connection when there is one (to the discard port on this machine only).
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") {
            let log = dir.appendingPathComponent("control.txt").path
            let process = Process()
            process.executableURL = URL(fileURLWithPath: strace)
            process.arguments = ["-f", "-qq", "-o", log, "-e", "trace=socket,connect", "/usr/bin/python3", "-c",
                                 "import socket; socket.socket().connect_ex(('127.0.0.1', 9))"]
            try process.run()
            process.waitUntilExit()
            #expect(try String(contentsOfFile: log, encoding: .utf8).contains("socket(AF_INET"), "strace should see a control socket")
        }
        let sipas = Canvass.form("sipas-2017.yaml")
        let runs: [([String], String?, Int32)] = [
            (["form", "check", sipas], nil, 0),
            (["form", "export", sipas, "-o", "sipas.xlsx"], nil, 0),
            (["form", "import", "sipas.xlsx", "-o", "sipas.yaml"], nil, 0),
            (["form", "show", "sipas.xlsx"], nil, 0),
            (["expr", "if(${age} >= 18, 'adult', 'minor')", "--set", "age=20"], nil, 0),
            (["record", sipas, "--db", "a.canvass", "--surveyor", "a", "--answers", "-", "--complete"], Canvass.sipas("a", count: 5), 0),
            (["interview", sipas, "--db", "b.canvass", "--surveyor", "b"], "stp\n7\nChứng thực\n", 0),
            (["merge", "m.canvass", "a.canvass", "b.canvass"], nil, 0),
            (["edit", "m.canvass", "a-1", "--set", "form_no=99", "--as", "hoa"], nil, 0),
            (["review", "m.canvass", "a-2", "approve", "--as", "hoa"], nil, 0),
            (["list", "m.canvass"], nil, 0),
            (["show", "m.canvass", "a-1"], nil, 0),
            (["validate", "m.canvass"], nil, 1),
            (["conflicts", "m.canvass"], nil, 0),
            (["duplicates", "m.canvass"], nil, 0),
            (["log", "m.canvass"], nil, 0),
            (["export", "m.canvass", "-o", "m.jsonl"], nil, 0),
            (["export", "m.canvass", "--format", "csv", "-o", "csv"], nil, 0),
            (["export", "m.canvass", "--format", "xlsx", "-o", "xlsx", "--labels"], nil, 0),
            (["report", "m.canvass", "--index", "sipas", "--by", "unit", "--html", "r.html", "--csv", "r.csv"], nil, 0),
            (["quota", "m.canvass", "--plan", "plan.yaml", "--by", "surveyor"], nil, 0),
            (["sample", "--frame", "frame.csv", "--size", "2", "--by", "unit", "--seed", "1", "-o", "sample.csv"], nil, 0),
            (["status", "m.canvass", "a.canvass"], nil, 1),
            (["pack", "m.canvass", "-o", "usb.canvass"], nil, 0),
            (["fork", "usb.canvass", "--against", "m.canvass"], nil, 0),
            (["form", "equivalent", "m.canvass"], nil, 0),
        ]
        try "cells:\n  - {name: stp, filter: \"${unit} = 'stp'\", target: 10}\n"
            .write(to: dir.appendingPathComponent("plan.yaml"), atomically: true, encoding: .utf8)
        try "id,unit\r\n1,stp\r\n2,stp\r\n3,sxd\r\n".write(to: dir.appendingPathComponent("frame.csv"), atomically: true, encoding: .utf8)
        for (arguments, input, code) in runs {
            check(try traced(arguments, input: input, expect: code), arguments.prefix(2).joined(separator: " "))
        }
    }
}
