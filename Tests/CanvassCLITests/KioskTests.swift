import CanvassCore
import CanvassStore
import Foundation
import Testing

/// The self-survey kiosk and the full-screen interview, through a real pseudo-terminal.
struct KioskTests {
    static let form = """
        form_id: motcua
        version: "1"
        title: {vi: "Khảo sát tại Bộ phận Một cửa", en: "One-stop shop survey"}
        default_language: vi
        survey:
          - {type: start, name: start}
          - {type: end, name: end}
          - type: select_one commune
            name: commune
            label: {vi: "Xã, thị trấn nơi Ông/Bà làm thủ tục", en: "Commune where you did the procedure"}
            required: true
          - type: select_one scale
            name: overall
            label: {vi: "Mức độ hài lòng chung", en: "Overall satisfaction"}
            required: true
          - type: integer
            name: trips
            label: {vi: "Số lần đi lại", en: "Number of trips"}
            constraint: ". >= 1 and . <= 10"
            constraint_message: {vi: "Từ 1 đến 10 lần", en: "From 1 to 10 trips"}
        choices:
          commune:
            - {name: dong_anh, label: "Thị trấn Đông Anh"}
            - {name: dong_hoi, label: "Xã Đông Hội"}
            - {name: duc_tu, label: "Xã Dục Tú"}
            - {name: uy_no, label: "Xã Uy Nỗ"}
            - {name: van_ha, label: "Xã Vân Hà"}
            - {name: mai_lam, label: "Xã Mai Lâm"}
            - {name: xuan_non, label: "Xã Xuân Nộn"}
            - {name: bac_hong, label: "Xã Bắc Hồng"}
            - {name: kim_chung, label: "Xã Kim Chung"}
            - {name: hai_boi, label: "Xã Hải Bối"}
            - {name: vong_la, label: "Xã Võng La"}
            - {name: tien_duong, label: "Xã Tiên Dương"}
          scale:
            - {name: "1", label: {vi: "Rất không hài lòng", en: "Very dissatisfied"}}
            - {name: "2", label: {vi: "Không hài lòng", en: "Dissatisfied"}}
            - {name: "3", label: {vi: "Bình thường", en: "Neutral"}}
            - {name: "4", label: {vi: "Hài lòng", en: "Satisfied"}}
            - {name: "5", label: {vi: "Rất hài lòng", en: "Very satisfied"}}
        """

    func setUp() throws -> URL {
        let dir = try CLI.scratch()
        try Self.form.write(to: dir.appendingPathComponent("motcua.yaml"), atomically: true, encoding: .utf8)
        return dir
    }

    @Test func aRespondentFillsTheFormThenTheNextIsIdleAndTheAdminLeavesWithThePIN() throws {
        let dir = try setUp()
        let pty = try PTY(["interview", "motcua.yaml", "--db", "m.canvass", "--surveyor", "kiosk-1", "--kiosk", "--idle", "1.5"], in: dir,
                          environment: ["CANVASS_KIOSK_PIN": "2468"])
        try pty.wait(for: "Nhấn Enter để bắt đầu")
        // Ctrl-C, Ctrl-D and Ctrl-\ do not end the kiosk.
        pty.send("\u{03}\u{04}\u{1C}")
        pty.read(for: 0.4)
        #expect(pty.isRunning)
        #expect(pty.screen.text.contains("Khảo sát tại Bộ phận Một cửa"))

        pty.send(PTY.enter)
        try pty.wait(for: "Câu 1/3")
        pty.send("dong anh")  // no marks, Đ as D
        try pty.wait(for: "gõ để lọc: hiện 1/12")
        #expect(pty.screen.text.contains("Thị trấn Đông Anh"))
        #expect(!pty.screen.text.contains("Xã Đông Hội"))
        pty.send(PTY.enter)
        try pty.wait(for: "Câu 2/3")
        pty.send("4" + PTY.enter)
        try pty.wait(for: "Câu 3/3")
        pty.send("0" + PTY.enter)
        try pty.wait(for: "Từ 1 đến 10 lần")
        pty.send(PTY.escape)  // back, from an invalid answer
        try pty.wait(for: "Câu 2/3")
        #expect(pty.screen.lines.contains { $0.hasPrefix("▸●   4  Hài lòng") })
        pty.send(PTY.enter)
        try pty.wait(for: "Câu 3/3")
        pty.send("2" + PTY.enter)
        try pty.wait(for: "Xem lại câu trả lời")
        #expect(pty.screen.text.contains("Thị trấn Đông Anh"))
        pty.send(PTY.down + PTY.down + PTY.down + PTY.enter)
        try pty.wait(for: "Xin cảm ơn Ông/Bà! Câu trả lời đã được ghi nhận.")
        try pty.wait(for: "Nhấn Enter để bắt đầu")

        // The next respondent walks away: after the idle time the welcome screen comes back.
        pty.send(PTY.enter)
        try pty.wait(for: "Câu 1/3")
        pty.send("3" + PTY.enter)
        try pty.wait(for: "Câu 2/3")
        try pty.wait(for: "Nhấn Enter để bắt đầu", timeout: 5)

        // Leaving needs the PIN.
        pty.send(PTY.f12)
        try pty.wait(for: "Mã PIN quản trị:")
        pty.send("1111" + PTY.enter)
        try pty.wait(for: "sai mã PIN")
        try pty.wait(for: "Nhấn Enter để bắt đầu")
        pty.send(PTY.f12)
        try pty.wait(for: "Mã PIN quản trị:")
        pty.send("2468" + PTY.enter)
        try pty.wait(for: "1 thoát chế độ kiosk")
        pty.send("2")
        try pty.wait(for: "id-0003  draft  kiosk")
        pty.send("1")
        #expect(try pty.exit() == 0)
        #expect(pty.screen.text.contains("đã đóng kiosk: 1 phiếu hoàn tất, 1 phiếu bỏ dở"))

        let list = try #require(try CLI.json(try CLI.run(["list", "m.canvass", "--json"], in: dir).out) as? [[String: Any]])
        #expect(list.map { $0["status"] as? String } == ["completed", "draft"])
        #expect(list.map { $0["mode"] as? String } == ["kiosk", "kiosk"])
        let show = try CLI.run(["show", "m.canvass", "id-0002", "--json"], in: dir)
        let answers = try #require((try CLI.json(show.out) as? [String: Any])?["answers"] as? [String: Any])
        #expect(answers["commune"] as? String == "dong_anh")
        #expect(answers["overall"] as? String == "4")
        #expect(answers["trips"] as? Int == 2)
        let abandoned = try CLI.run(["show", "m.canvass", "id-0003", "--json"], in: dir)
        let history = try #require((try CLI.json(abandoned.out) as? [String: Any])?["history"] as? [[String: Any]])
        #expect(history.contains { $0["field"] as? String == "_abandoned" && ($0["value"] as? String)?.hasSuffix(" overall") == true })
        // The PIN is kept only as a salted hash.
        let file = try DataFile(path: dir.appendingPathComponent("m.canvass").path, mode: .readOnly)
        let stored = try #require(try file.setting("kiosk_pin"))
        #expect(!stored.contains("2468"))
        #expect(KioskPIN(text: stored)?.matches("2468") == true)
        #expect(KioskPIN(text: stored)?.matches("2469") == false)
    }

    /// Without CANVASS_KIOSK_PIN the supervisor types it once, masked.
    @Test func theSupervisorTypesThePINOnce() throws {
        let dir = try setUp()
        let pty = try PTY(["interview", "motcua.yaml", "--db", "m.canvass", "--surveyor", "kiosk-1", "--kiosk", "--lang", "en"], in: dir)
        try pty.wait(for: "Set the kiosk's admin PIN (at least 4 characters):")
        pty.send("12" + PTY.enter)
        try pty.wait(for: "the PIN needs at least 4 characters")
        pty.send("9753" + PTY.enter)
        try pty.wait(for: "Press Enter to begin")
        #expect(!pty.transcript.contains("9753"))
        pty.send(PTY.f12)
        try pty.wait(for: "Admin PIN:")
        pty.send("9753" + PTY.enter + "1")
        #expect(try pty.exit() == 0)
        #expect(pty.screen.text.contains("kiosk closed: 0 completed, 0 abandoned"))
    }

    /// An enumerator's interview on a terminal: one question per screen, commands after ':',
    /// Esc back, and the counter where the question stands.
    @Test func anInterviewOnATerminalIsFullScreen() throws {
        let dir = try CLI.scratch()
        let pty = try PTY(["interview", CLI.form("sipas-2017.yaml"), "--db", "i.canvass", "--surveyor", "lan", "--lang", "en"], in: dir)
        try pty.wait(for: "Question 1 of 40")
        pty.send("1" + PTY.enter)
        try pty.wait(for: "Question 2 of 40")
        pty.send("15" + PTY.enter)
        try pty.wait(for: "Question 3 of 40")
        pty.send(":note respondent in a hurry" + PTY.enter)
        try pty.wait(for: "note saved")
        pty.send(PTY.escape)
        try pty.wait(for: "Question 2 of 40")
        #expect(pty.screen.text.contains("[15]"))
        pty.send(":save" + PTY.enter)
        #expect(try pty.exit() == 0)
        #expect(pty.screen.text.contains("interview id-0002 saved as a draft; continue with --resume id-0002"))
        let show = try CLI.run(["show", "i.canvass", "id-0002", "--json"], in: dir)
        let report = try #require(try CLI.json(show.out) as? [String: Any])
        #expect((report["answers"] as? [String: Any])?["form_no"] as? Int == 15)
        #expect((report["notes"] as? [[String: Any]])?.first?["text"] as? String == "respondent in a hurry")
    }

    /// A photo is answered with its path on the full screen too: refused in the interview's
    /// language when it is not a file, stored in the data file when it is, and stored once.
    @Test func aPhotoIsTakenByItsPathOnTheFullScreen() throws {
        let dir = try CLI.scratch()
        try """
            form_id: photo
            version: "1"
            survey:
              - {type: image, name: photo, label: Photo}
              - {type: text, name: remark, label: Remark}
            """.write(to: dir.appendingPathComponent("f.yaml"), atomically: true, encoding: .utf8)
        let png = Data("ảnh nhà".utf8)
        try png.write(to: dir.appendingPathComponent("house.png"))
        let pty = try PTY(["interview", "f.yaml", "--db", "p.canvass", "--surveyor", "lan", "--lang", "vi"], in: dir)
        try pty.wait(for: "Photo")
        pty.send("nowhere.png" + PTY.enter)
        try pty.wait(for: "không phải là tệp")
        pty.send(String(repeating: "\u{7F}", count: "nowhere.png".count) + "house.png" + PTY.enter)
        try pty.wait(for: "Remark")
        pty.send(":save" + PTY.enter)
        #expect(try pty.exit() == 0)
        let answers = try #require((try CLI.json(try CLI.run(["show", "p.canvass", "id-0002", "--json"], in: dir).out) as? [String: Any])?["answers"] as? [String: Any])
        #expect(answers["photo"] as? String == MediaFile.sha256(of: png) + ".png")
        #expect(try DataFile(path: dir.appendingPathComponent("p.canvass").path, mode: .readOnly).attachment(MediaFile.sha256(of: png)) == png)
    }

    /// TERM=dumb (and screen readers, with --line) keep the line mode on a terminal.
    @Test func aDumbTerminalKeepsTheLineMode() throws {
        let dir = try CLI.scratch()
        let pty = try PTY(["interview", CLI.form("household.yaml"), "--db", "h.canvass", "--surveyor", "minh", "--lang", "en"], in: dir,
                          environment: ["TERM": "dumb"])
        try pty.wait(for: "type :help for commands")
        pty.send(":save" + PTY.enter)
        #expect(try pty.exit() == 0)
        #expect(pty.transcript.contains("1/"))
        #expect(!pty.transcript.contains("\u{1B}[?1049h"))
    }
}
