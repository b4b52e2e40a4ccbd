// The calendar pages and the activity form through the real `loa serve` over loopback with a real
// SQLite file: create a weekly activity with a Vietnamese title, see it in the month grid, edit with
// an invalid end (422, values kept), cancel; department scope (403); hostile titles as text.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <vector>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "core/storage/campaign_store.hpp"
#include "core/storage/database.hpp"
#include "tests/integration/http_client.hpp"
#include "tests/integration/loa_process.hpp"
#include "tests/integration/web_session.hpp"

namespace {
namespace calendar_pages_test_cpp {

using loa::test::http_reply;
using fields = std::vector<std::pair<std::string, std::string>>;

constexpr const char* slug = "haiphong-2024-anti-trafficking";
const std::string base = std::string("/campaigns/") + slug;

using session = loa::test::web_user;

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

// The HTML of one day cell or section: from its id to the next day's.
std::string day_html(const std::string& page, const std::string& iso) {
    const auto start = page.find("id=\"day-" + iso + "\"");
    if (start == std::string::npos) return {};
    const auto end = page.find("id=\"day-", start + 1);
    return page.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

// The value of the cookie `name` set by `r` ("name=value; Path=/…" → "value"), or "".
std::string cookie_set(const http_reply& r, const std::string& name) {
    for (const auto& [k, v] : r.headers) {
        if (k == "set-cookie" && v.rfind(name + "=", 0) == 0)
            return v.substr(name.size() + 1, v.find(';') - name.size() - 1);
    }
    return {};
}

// The value of the first hidden csrf_token input of a page.
std::string csrf_of(const std::string& html) {
    const std::string marker = "name=\"csrf_token\" value=\"";
    const auto at = html.find(marker);
    if (at == std::string::npos) return {};
    const auto start = at + marker.size();
    return html.substr(start, html.find('"', start) - start);
}

class CalendarPages : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        server_ = new loa::test::served("access_log: off\n");
        loa::core::database db(server_->dir().file("loa.db"));
        loa::core::import_campaigns(db, {loa::test::shipped_campaign(slug)});
        education_ = loa::test::add_web_user(db, "Nguyễn Thị Hoa", "editor", "education");
        police_ = loa::test::add_web_user(db, "Lê Văn Hùng", "editor", "police");
        admin_ = loa::test::add_web_user(db, "Trần Quốc Bảo", "admin");
        viewer_ = loa::test::add_web_user(db, "Phạm Thu Trang", "viewer");
    }

    static void TearDownTestSuite() {
        loa::test::stop_served(*server_);
        delete server_;
        server_ = nullptr;
    }

    static http_reply send(const std::string& method, const std::string& target, const session* who,
                           const std::string& body = {}, const std::string& lang = "vi") {
        auto h = loa::test::page_headers(who, lang);
        if (method == "POST") h.emplace_back("Content-Type: application/x-www-form-urlencoded");
        return loa::test::send_request(server_->port(), method, target, h, body);
    }

    static http_reply get(const std::string& target, const session& who, const std::string& lang = "vi") {
        return send("GET", target, &who, {}, lang);
    }

    static http_reply post(const std::string& target, const session& who, fields f) {
        f.insert(f.begin(), {"csrf_token", who.csrf});
        return send("POST", target, &who, loa::test::form_encode(f));
    }

    // A weekly activity of the education department: Tuesdays and Thursdays from 2 July, six times.
    static fields weekly(const std::string& title_vi) {
        return {{"department", "education"},
                {"kind", "school_session"},
                {"title_vi", title_vi},
                {"title_en", ""},
                {"start_date", "2024-07-02"},
                {"start_time", "14:00"},
                {"end_date", "2024-07-02"},
                {"end_time", "15:30"},
                {"time_zone", ""},
                {"location_vi", "Trường THCS Chu Văn An"},
                {"location_en", ""},
                {"audiences", "parents"},
                {"audiences", "lower-secondary-students"},
                {"visibility", "public"},
                {"repeat", "weekly"},
                {"weekdays", "tue"},
                {"weekdays", "thu"},
                {"monthly_by", "weekday"},
                {"month_week", "1"},
                {"month_weekday", "mon"},
                {"month_day", "1"},
                {"ends", "count"},
                {"until", ""},
                {"count", "6"},
                {"advanced", ""}};
    }

    // Creates the activity as `who` and returns its code (from the redirect's ?saved=).
    static std::string create(const session& who, const fields& f) {
        const auto r = post(base + "/activities", who, f);
        EXPECT_EQ(r.status, 303U) << r.body;
        const std::string location = r.header("location").value_or("");
        const auto at = location.find("saved=");
        if (at == std::string::npos) throw std::runtime_error("no saved= in '" + location + "'");
        return location.substr(at + 6);
    }

    static inline loa::test::served* server_ = nullptr;
    static inline session education_, police_, admin_, viewer_;
};

TEST_F(CalendarPages, WeeklyActivityFromTheFormToTheMonthGridThenEditAndCancel) {
    const std::string title = "Sinh hoạt hè: kỹ năng tự bảo vệ cho học sinh";

    // The empty form, with the editor's department.
    const auto form = get(base + "/activities/new?date=2024-07-02", education_);
    ASSERT_EQ(form.status, 200U);
    EXPECT_TRUE(contains(form.body, "<h1>Thêm hoạt động</h1>"));
    EXPECT_TRUE(contains(form.body, "value=\"2024-07-02\""));
    // Back to the month of that day; a day that does not exist is said, not replaced by another.
    EXPECT_TRUE(contains(form.body, "/calendar?view=month&amp;date=2024-07-02\" id=\"activity-back\"")) << form.body;
    const auto no_day = get(base + "/activities/new?date=2024-07-32", education_);
    EXPECT_EQ(no_day.status, 400U);
    EXPECT_TRUE(contains(no_day.body, "“2024-07-32” không phải là một ngày có thật")) << no_day.body;
    EXPECT_EQ(get(base + "/activities/new?date=20/07/2024", education_).status, 200U);

    const auto created = post(base + "/activities", education_, weekly(title));
    ASSERT_EQ(created.status, 303U) << created.body;
    const std::string location = created.header("location").value_or("");
    EXPECT_TRUE(contains(location, base + "/calendar?view=month&date=2024-07-02&saved=")) << location;
    const std::string code = "sinh-hoat-he-ky-nang-tu-bao-ve-cho-hoc-sinh";
    EXPECT_TRUE(contains(location, code)) << location;

    // The month grid: on the six Tuesdays and Thursdays from 2 July, and the flash names it.
    const auto month = get(location, viewer_);
    ASSERT_EQ(month.status, 200U);
    EXPECT_TRUE(contains(month.body, "Đã lưu hoạt động “" + title + "”."));
    for (const char* day :
         {"2024-07-02", "2024-07-04", "2024-07-09", "2024-07-11", "2024-07-16", "2024-07-18"}) {
        EXPECT_TRUE(contains(day_html(month.body, day), title)) << day;
        EXPECT_TRUE(contains(day_html(month.body, day), "14:00–15:30")) << day;
    }
    EXPECT_FALSE(contains(day_html(month.body, "2024-07-23"), title));
    EXPECT_FALSE(contains(day_html(month.body, "2024-07-03"), title));
    // A viewer sees it but gets no edit link.
    EXPECT_FALSE(contains(month.body, "/activities/" + code + "/edit"));

    // The edit form, filled in, the builder showing the weekly rule.
    const auto edit = get(base + "/activities/" + code + "/edit", education_);
    ASSERT_EQ(edit.status, 200U);
    EXPECT_TRUE(contains(edit.body, "value=\"" + title + "\""));
    EXPECT_TRUE(contains(edit.body, "id=\"weekday-thu\" name=\"weekdays\" value=\"thu\" checked"));
    // Cancelling cannot be undone: the button asks first (loa.js; without JavaScript the text beside
    // it says so).
    EXPECT_TRUE(contains(edit.body, "id=\"activity-cancel\" data-confirm=\"Hủy hoạt động này? "));
    EXPECT_TRUE(contains(edit.body, "id=\"repeat-weekly\" name=\"repeat\" value=\"weekly\" checked"));

    // An end before the start: 422, every value as typed, the error beside the field, in Vietnamese.
    fields bad = weekly(title + " (sửa)");
    for (auto& [name, value] : bad) {
        if (name == "end_time") value = "13:15";
        if (name == "location_vi") value = "Nhà văn hóa phường Lạc Viên";
    }
    const auto rejected = post(base + "/activities/" + code + "/edit", education_, bad);
    EXPECT_EQ(rejected.status, 422U);
    EXPECT_TRUE(contains(rejected.body, "value=\"" + title + " (sửa)\""));
    EXPECT_TRUE(contains(rejected.body, "value=\"13:15\""));
    EXPECT_TRUE(contains(rejected.body, "value=\"Nhà văn hóa phường Lạc Viên\""));
    EXPECT_TRUE(
        contains(rejected.body, "id=\"end_time-error\">Thời điểm kết thúc phải sau thời điểm bắt đầu."));
    EXPECT_TRUE(contains(rejected.body, "id=\"weekday-tue\" name=\"weekdays\" value=\"tue\" checked"));
    // Nothing was written.
    EXPECT_TRUE(contains(get(base + "/activities/" + code + "/edit", education_).body, "value=\"15:30\""));

    // A valid edit moves it to 16:00–17:00.
    fields good = weekly(title);
    for (auto& [name, value] : good) {
        if (name == "start_time") value = "16:00";
        if (name == "end_time") value = "17:00";
    }
    ASSERT_EQ(post(base + "/activities/" + code + "/edit", education_, good).status, 303U);
    EXPECT_TRUE(contains(day_html(get(base + "/calendar?date=2024-07-04", viewer_).body, "2024-07-04"),
                         "16:00–17:00"));

    // Cancel: kept and marked, in the grid and the agenda.
    const auto cancelled = post(base + "/activities/" + code + "/cancel", education_, {});
    ASSERT_EQ(cancelled.status, 303U);
    EXPECT_TRUE(contains(cancelled.header("location").value_or(""), "cancelled=" + code));
    const auto agenda = get(base + "/calendar?view=agenda&date=2024-07-01&department=education", education_);
    ASSERT_EQ(agenda.status, 200U);
    const std::string tuesday = day_html(agenda.body, "2024-07-02");
    EXPECT_TRUE(contains(tuesday, title));
    EXPECT_TRUE(contains(tuesday, "is-cancelled"));
    EXPECT_TRUE(contains(tuesday, "Đã hủy"));
    EXPECT_EQ(post(base + "/activities/" + code + "/cancel", education_, {}).status, 409U);

    // Every change is in the audit log, with who made it.
    SQLite::Database db(server_->dir().file("loa.db").string());
    SQLite::Statement st(
        db, "SELECT action, actor FROM audit_log WHERE entity = 'activity' AND entity_key = ? ORDER BY id");
    st.bind(1, code);
    std::vector<std::string> actions;
    while (st.executeStep()) {
        actions.push_back(st.getColumn(0).getString());
        EXPECT_EQ(st.getColumn(1).getString(), "Nguyễn Thị Hoa");
    }
    EXPECT_EQ(actions, (std::vector<std::string>{"create", "edit", "cancel"}));
}

TEST_F(CalendarPages, TwoPeopleEditingOneActivityDoNotOverwriteEachOtherUnseen) {
    const std::string code = create(education_, weekly("Buổi tư vấn cho phụ huynh"));
    const std::string edit_url = base + "/activities/" + code + "/edit";
    // Both open the form; the fingerprint of the activity as loaded comes with it.
    const auto first = get(edit_url, education_);
    ASSERT_EQ(first.status, 200U);
    const std::string field = "name=\"fingerprint\" value=\"";
    const auto at = first.body.find(field);
    ASSERT_NE(at, std::string::npos);
    const std::string loaded = first.body.substr(at + field.size(), 32);
    // One saves a new place.
    fields place = weekly("Buổi tư vấn cho phụ huynh");
    place.emplace_back("fingerprint", loaded);
    for (auto& [name, value] : place)
        if (name == "location_vi") value = "Phòng họp số 3";
    ASSERT_EQ(post(edit_url, education_, place).status, 303U);
    // The other, from the form loaded before, saves a new title: refused, what was typed kept,
    // the reason said in Vietnamese, the place not lost.
    fields title = weekly("Buổi tư vấn cho phụ huynh lớp 9");
    title.emplace_back("fingerprint", loaded);
    const auto refused = post(edit_url, education_, title);
    EXPECT_EQ(refused.status, 409U);
    EXPECT_TRUE(contains(refused.body, "value=\"Buổi tư vấn cho phụ huynh lớp 9\""));
    EXPECT_TRUE(contains(refused.body, "Trong lúc bạn sửa, hoạt động này đã được lưu lại (bởi người khác, hoặc bởi chính bạn ở một thẻ hay cửa sổ khác)."));
    EXPECT_TRUE(contains(refused.body, "href=\"#activity-form\""));
    EXPECT_TRUE(contains(get(edit_url, education_).body, "value=\"Phòng họp số 3\""));
    // The form sent back carries the activity as it is now: sending it again replaces it knowingly.
    const auto again_at = refused.body.find(field);
    ASSERT_NE(again_at, std::string::npos);
    const std::string now = refused.body.substr(again_at + field.size(), 32);
    EXPECT_NE(now, loaded);
    for (auto& [name, value] : title)
        if (name == "fingerprint") value = now;
    ASSERT_EQ(post(edit_url, education_, title).status, 303U);
    const auto after = get(edit_url, education_);
    EXPECT_TRUE(contains(after.body, "value=\"Buổi tư vấn cho phụ huynh lớp 9\""));
    // A form without the field (an older page) still saves, as before.
    EXPECT_EQ(post(edit_url, education_, weekly("Buổi tư vấn")).status, 303U);
}

TEST_F(CalendarPages, AnEditorOfAnotherDepartmentIsRefused) {
    const std::string code = create(education_, weekly("Buổi tư vấn cho phụ huynh học sinh lớp 9"));
    EXPECT_EQ(get(base + "/activities/" + code + "/edit", police_).status, 403U);
    EXPECT_EQ(post(base + "/activities/" + code + "/edit", police_, weekly("Đổi tên")).status, 403U);
    EXPECT_EQ(post(base + "/activities/" + code + "/cancel", police_, {}).status, 403U);
    EXPECT_EQ(post(base + "/activities", police_, weekly("Hoạt động của đơn vị khác")).status, 403U);
    // A file activity of the education department too, and a viewer gets no form at all.
    EXPECT_EQ(get(base + "/activities/edu-teacher-training/edit", police_).status, 403U);
    EXPECT_EQ(get(base + "/activities/new", viewer_).status, 403U);
    // The owner and an admin may.
    EXPECT_EQ(get(base + "/activities/" + code + "/edit", education_).status, 200U);
    EXPECT_EQ(get(base + "/activities/" + code + "/edit", admin_).status, 200U);
    EXPECT_EQ(get(base + "/activities/khong-co/edit", admin_).status, 404U);
}

TEST_F(CalendarPages, AFormWithoutTheCsrfTokenIsRefused) {
    const auto r = send("POST", base + "/activities", &education_, loa::test::form_encode(weekly("Không có mã CSRF")));
    EXPECT_EQ(r.status, 403U);
}

TEST_F(CalendarPages, HostileTitlesAreTextInGridAndAgenda) {
    for (const char* hostile : {"<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>"}) {
        fields f = weekly(hostile);
        for (auto& [name, value] : f) {
            if (name == "location_vi") value = hostile;
        }
        create(admin_, f);
    }
    for (const char* view : {"month", "agenda", "week"}) {
        const auto page = get(base + "/calendar?view=" + std::string(view) + "&date=2024-07-02", viewer_);
        ASSERT_EQ(page.status, 200U) << view;
        EXPECT_TRUE(contains(page.body, "&lt;script&gt;alert(1)&lt;/script&gt;")) << view;
        EXPECT_TRUE(contains(page.body, "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;")) << view;
        EXPECT_FALSE(contains(page.body, "<script>alert(1)")) << view;
        EXPECT_FALSE(contains(page.body, "<img src=x")) << view;
    }
}

TEST_F(CalendarPages, TheMasterCalendarMarksConflictsAndInternalActivities) {
    // Two departments at the same venue at the same time (the place written differently).
    fields police = weekly("Tuyên truyền pháp luật cho phụ huynh");
    for (auto& [name, value] : police) {
        if (name == "department") value = "police";
        if (name == "kind") value = "outreach";
        if (name == "location_vi") value = "trường THCS Chu Văn An";
        if (name == "repeat") value = "none";
        if (name == "visibility") value = "internal";
    }
    create(police_, police);
    create(education_, weekly("Sinh hoạt chuyên đề cùng phụ huynh"));
    const auto page = get(base + "/calendar?view=day&date=2024-07-02", viewer_);
    ASSERT_EQ(page.status, 200U);
    EXPECT_TRUE(contains(page.body, "cùng địa điểm, cùng thời gian"));
    EXPECT_TRUE(contains(page.body,
                         "Tuyên truyền pháp luật cho phụ huynh <span class=\"muted\">— Công an thành phố"));
    EXPECT_TRUE(contains(page.body, "⚠ Trùng lặp"));
    EXPECT_TRUE(contains(page.body, "Nội bộ"));  // internal: shown to signed-in users, marked
    // The department calendar has no conflict list.
    const auto dept = get(base + "/calendar?view=day&date=2024-07-02&department=police", viewer_);
    EXPECT_FALSE(contains(dept.body, "id=\"conflicts\""));
    // In English.
    const auto en = get(base + "/calendar?view=day&date=2024-07-02", viewer_, "en");
    EXPECT_TRUE(contains(en.body, "<h1>City master calendar</h1>"));
    EXPECT_TRUE(contains(en.body, "the same place at the same time"));
}

TEST_F(CalendarPages, BadParametersAndUnknownCampaigns) {
    EXPECT_EQ(get(base + "/calendar?view=year", viewer_).status, 400U);
    EXPECT_EQ(get(base + "/calendar?date=2024-02-30", viewer_).status, 400U);
    EXPECT_EQ(get("/campaigns/khong-co/calendar", viewer_).status, 404U);
    // Signed out: sent to the login page.
    const auto anonymous = send("GET", base + "/calendar", nullptr);
    EXPECT_EQ(anonymous.status, 303U);
}

TEST_F(CalendarPages, AnEditorAddedWithLoaUserAddSignsInAndAddsAnActivity) {
    // `loa user add` reads the password from standard input.
    const std::string db = server_->dir().file("loa.db").string();
    const std::string command = "printf 'mật khẩu dài 2024\\n' | '" + std::string(LOA_BINARY) +
                                "' user add --db '" + db +
                                "' --name 'Đỗ Thị Lan' --role editor --department education >/dev/null 2>&1";
    ASSERT_EQ(std::system(command.c_str()), 0);

    // The login page, then the form it shows, with its pre-session cookie.
    const auto page = send("GET", "/login", nullptr);
    ASSERT_EQ(page.status, 200U);
    const std::string login_cookie = cookie_set(page, "loa_login");
    ASSERT_FALSE(login_cookie.empty());
    const session pre{"loa_login=" + login_cookie, csrf_of(page.body)};
    const auto signed_in = send("POST", "/login", &pre,
                                loa::test::form_encode({{"csrf_token", pre.csrf},
                                             {"name", "Đỗ Thị Lan"},
                                             {"password", "mật khẩu dài 2024"},
                                             {"next", base + "/calendar"}}));
    ASSERT_EQ(signed_in.status, 303U) << signed_in.body;
    const std::string session_cookie = cookie_set(signed_in, "loa_session");
    ASSERT_FALSE(session_cookie.empty());

    // Signed in: the form carries the session's token; the activity lands in the grid.
    session lan{"loa_session=" + session_cookie, ""};
    const auto form = get(base + "/activities/new", lan);
    ASSERT_EQ(form.status, 200U);
    lan.csrf = csrf_of(form.body);
    const std::string title = "Tọa đàm: nhận diện thủ đoạn lừa đảo việc làm";
    const std::string code = create(lan, weekly(title));
    EXPECT_EQ(code, "toa-dam-nhan-dien-thu-doan-lua-dao-viec-lam");
    EXPECT_TRUE(contains(day_html(get(base + "/calendar?date=2024-07-11", lan).body, "2024-07-11"), title));
}

}  // namespace calendar_pages_test_cpp
}  // namespace
