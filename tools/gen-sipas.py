#!/usr/bin/env python3
"""Write N realistic SIPAS 2017 interviews (forms/sipas-2017.yaml) as JSONL, for `canvass record`.

usage: tools/gen-sipas.py [-n 10000] [--seed 2017] [-o FILE]   (default output: standard output)

Seeded and repeatable. Field and choice names are those of forms/sipas-2017.yaml; every required
answer is present and every constraint holds, so `canvass record --complete` completes them all.
Distributions are plausible for a one-stop shop survey: ~83% of criteria rated 4 or 5, most people
make one trip, few report harassment; optional questions (demographics, contact, comment) are
sometimes left out, as on paper.
"""
import argparse
import json
import random
import sys

# Per unit: the procedures people come for (field - procedure, as written on the paper form).
PROCEDURES = {
    "stp": [
        "Tư pháp - Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam",
        "Tư pháp - Chứng thực bản sao từ bản chính giấy tờ, văn bản",
        "Hộ tịch - Cấp bản sao trích lục hộ tịch",
        "Tư pháp - Chứng thực hợp đồng, giao dịch liên quan đến tài sản",
        "Quốc tịch - Xác nhận có quốc tịch Việt Nam",
    ],
    "skhdt": [
        "Đăng ký doanh nghiệp - Đăng ký thành lập công ty TNHH một thành viên",
        "Đăng ký doanh nghiệp - Đăng ký thay đổi nội dung đăng ký doanh nghiệp",
        "Đăng ký doanh nghiệp - Thông báo tạm ngừng kinh doanh",
        "Đầu tư - Cấp Giấy chứng nhận đăng ký đầu tư",
        "Đăng ký doanh nghiệp - Đăng ký hoạt động chi nhánh, văn phòng đại diện",
    ],
    "stnmt": [
        "Đất đai - Cấp Giấy chứng nhận quyền sử dụng đất lần đầu",
        "Đất đai - Đăng ký biến động quyền sử dụng đất do chuyển nhượng",
        "Đất đai - Cấp đổi Giấy chứng nhận quyền sử dụng đất",
        "Môi trường - Thẩm định báo cáo đánh giá tác động môi trường",
        "Tài nguyên nước - Cấp giấy phép khai thác nước dưới đất",
    ],
    "sxd": [
        "Xây dựng - Cấp giấy phép xây dựng nhà ở riêng lẻ",
        "Xây dựng - Cấp chứng chỉ hành nghề hoạt động xây dựng",
        "Nhà ở - Cấp Giấy chứng nhận quyền sở hữu nhà ở",
        "Xây dựng - Thẩm định thiết kế cơ sở",
    ],
    "ubnd_ba_dinh": [
        "Hộ tịch - Đăng ký khai sinh",
        "Hộ tịch - Đăng ký kết hôn",
        "Kinh doanh - Cấp Giấy chứng nhận đăng ký hộ kinh doanh",
        "Xây dựng - Cấp giấy phép sửa chữa, cải tạo nhà ở",
        "Chứng thực - Chứng thực chữ ký trong giấy tờ, văn bản",
    ],
    "ubnd_dong_anh": [
        "Đất đai - Đăng ký đất đai, tài sản gắn liền với đất lần đầu",
        "Hộ tịch - Đăng ký khai tử",
        "Hộ tịch - Đăng ký thay đổi, cải chính hộ tịch",
        "Kinh doanh - Cấp Giấy chứng nhận đăng ký hộ kinh doanh",
        "Lao động, thương binh và xã hội - Hưởng trợ cấp xã hội hàng tháng",
    ],
}
UNIT_WEIGHTS = {"stp": 18, "skhdt": 14, "stnmt": 20, "sxd": 10, "ubnd_ba_dinh": 20, "ubnd_dong_anh": 18}

CRITERIA = ["e1_1", "e1_2", "e1_3", "e1_4", "e2_1", "e2_2", "e2_3", "e2_4", "e2_5",
            "e3_1", "e3_2", "e3_3", "e3_4", "e3_5", "e3_6", "e4_1", "e4_2", "e4_3",
            "e5_1", "e5_2", "e5_3", "e5_4"]

GOOD_COMMENTS = [
    "Cán bộ nhiệt tình, chu đáo",
    "Thủ tục nhanh gọn, đúng hẹn",
    "Bộ phận một cửa sạch sẽ, thoáng mát",
    "Hài lòng với cách làm việc của cán bộ",
    "Cảm ơn các anh chị đã hướng dẫn tận tình",
]
BAD_COMMENTS = [
    "Nên bố trí thêm ghế ngồi chờ, buổi sáng rất đông",
    "Cần niêm yết rõ hơn thành phần hồ sơ, tôi phải bổ sung hai lần",
    "Máy lấy số thứ tự hay bị hỏng",
    "Đề nghị rút ngắn thời gian giải quyết hồ sơ",
    "Nên có thêm hướng dẫn nộp hồ sơ trực tuyến cho người lớn tuổi",
    "Cán bộ trả lời qua loa, chưa giải thích rõ",
]
TRIPS_REASONS = [
    "Hồ sơ phải bổ sung giấy tờ nhiều lần",
    "Cán bộ hướng dẫn không đầy đủ ngay từ đầu",
    "Hẹn trả kết quả nhưng chưa có",
    "Phải đi xác minh ở nhiều nơi",
]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]
MIDDLE_M = ["Văn", "Đức", "Quang", "Minh", "Hữu", "Thành"]
MIDDLE_F = ["Thị", "Thu", "Ngọc", "Thanh", "Minh", "Hồng"]
GIVEN_M = ["Hùng", "Dũng", "Nam", "Tuấn", "Long", "Sơn", "Hải", "Cường", "Thắng", "Quân"]
GIVEN_F = ["Hoà", "Lan", "Hương", "Mai", "Trang", "Linh", "Thảo", "Hạnh", "Yến", "Nga"]


def pick(rng, weights):
    """A key of `weights` (a dict name -> weight)."""
    names = list(weights)
    return rng.choices(names, weights=[weights[n] for n in names])[0]


def interview(rng, unit, form_no):
    row = {"unit": unit, "form_no": form_no, "procedure": rng.choice(PROCEDURES[unit])}
    row["submission"] = pick(rng, {"in_person": 82, "post": 6, "online": 12})
    gender = pick(rng, {"male": 52, "female": 48})
    optional = {
        "gender": gender,
        "age_group": pick(rng, {"18_24": 8, "25_34": 27, "35_49": 36, "50_60": 19, "over_60": 10}),
        "ethnicity": pick(rng, {"kinh": 92, "other": 8}),
        "education": pick(rng, {"primary": 5, "lower_secondary": 12, "upper_secondary": 28, "vocational": 20,
                                "university": 33, "other": 2}),
        "occupation": pick(rng, {"retired": 9, "not_working": 5, "self_employed": 30, "student": 4,
                                 "private_sector": 30, "public_sector": 18, "other": 4}),
        "area": pick(rng, {"urban": 55, "rural": 45}) if unit != "ubnd_dong_anh" else pick(rng, {"urban": 15, "rural": 85}),
    }
    for name, value in optional.items():
        if rng.random() < 0.9:  # paper forms often leave a demographic box empty
            row[name] = value
    row["respondent_type"] = "organisation" if unit == "skhdt" and rng.random() < 0.7 else pick(rng, {"individual": 88, "organisation": 12})
    if rng.random() < 0.6:
        consent = "yes" if rng.random() < 0.25 else "no"
        row["contact_consent"] = consent
        if consent == "yes":
            male = gender == "male"
            row["respondent_name"] = " ".join([rng.choice(FAMILY), rng.choice(MIDDLE_M if male else MIDDLE_F),
                                               rng.choice(GIVEN_M if male else GIVEN_F)])
            row["phone"] = "0" + rng.choice("389753") + "".join(rng.choice("0123456789") for _ in range(8))
    # A respondent's mood colours all 22 criteria: ~83% are 4 or 5 overall.
    mood = pick(rng, {"happy": 70, "mixed": 22, "unhappy": 8})
    satisfied = {"happy": 0.93, "mixed": 0.70, "unhappy": 0.35}[mood]
    for name in CRITERIA:
        if rng.random() < satisfied:
            row[name] = pick(rng, {"4": 55, "5": 45} if mood != "unhappy" else {"4": 75, "5": 25})
        else:
            row[name] = pick(rng, {"3": 70, "2": 22, "1": 8})
    row["trips"] = pick(rng, {"1": 62, "2": 26, "3": 8, "4": 4})
    if row["trips"] == "4" and rng.random() < 0.85:
        row["trips_reason"] = rng.choice(TRIPS_REASONS)
    row["on_time"] = pick(rng, {"yes": 84, "no": 7, "not_yet": 9})
    if row["on_time"] == "no" and rng.random() < 0.7:
        row["late_apology"] = pick(rng, {"yes": 40, "no": 60})
    row["trouble"] = pick(rng, {"yes": 3, "no": 97})
    row["extra_payment"] = pick(rng, {"yes": 2, "no": 98})
    row["gave_feedback"] = pick(rng, {"yes": 8, "no": 92})
    if row["gave_feedback"] == "yes":
        row["feedback_result"] = pick(rng, {"resolved": 55, "pending": 30, "no_response": 15})
    if rng.random() < (0.2 if mood == "happy" else 0.45):
        row["comment"] = rng.choice(GOOD_COMMENTS if mood == "happy" else BAD_COMMENTS)
    return row


def generate(n, seed):
    """The n interviews, in the order a clerk would type them in (form numbers count up per unit)."""
    rng = random.Random(seed)
    numbers = {unit: 0 for unit in UNIT_WEIGHTS}
    for _ in range(n):
        unit = pick(rng, UNIT_WEIGHTS)
        numbers[unit] += 1
        yield interview(rng, unit, numbers[unit])


def main():
    parser = argparse.ArgumentParser(description="Write N realistic SIPAS 2017 interviews as JSONL.")
    parser.add_argument("-n", type=int, default=10000, help="number of interviews (default 10000)")
    parser.add_argument("--seed", type=int, default=2017, help="random seed (default 2017)")
    parser.add_argument("-o", "--output", default="-", help="output file (default: standard output)")
    args = parser.parse_args()
    out = sys.stdout if args.output == "-" else open(args.output, "w", encoding="utf-8")
    rated = good = 0
    with out:
        for row in generate(args.n, args.seed):
            for name in CRITERIA:
                rated += 1
                good += row[name] in ("4", "5")
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"gen-sipas: {args.n} interviews, seed {args.seed}, {100 * good / max(rated, 1):.1f}% of criteria rated 4 or 5",
          file=sys.stderr)


if __name__ == "__main__":
    main()
