// The web kit through the real `loa serve` over loopback with a real SQLite file: home redirect,
// the campaign overview in Vietnamese and English, the order of language choice, the switcher (no
// open redirect, the stored preference), static assets from the allow-list, HTML error pages, and
// hostile titles shown as text.
#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/storage/campaign_store.hpp"
#include "core/storage/database.hpp"
#include "core/storage/feed_store.hpp"
#include "core/storage/user_store.hpp"
#include "tests/integration/http_client.hpp"
#include "tests/integration/loa_process.hpp"
#include "tests/integration/web_session.hpp"
#include "tests/support/api_campaign.hpp"

namespace {
namespace web_test_cpp {

namespace fs = std::filesystem;
using loa::test::http_connection;
using loa::test::http_reply;

constexpr const char* shipped_slug = "haiphong-2024-anti-trafficking";
const std::string overview = std::string("/campaigns/") + shipped_slug;

using session = loa::test::web_user;

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

class WebTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        server_ = new loa::test::served("access_log: off\n");
        loa::core::database db(server_->dir().file("loa.db"));
        loa::core::import_campaigns(db, {loa::test::shipped_campaign(shipped_slug)});
        viewer_ = loa::test::add_web_user(db, "Phạm Thu Trang", "viewer");
        english_ = loa::test::add_web_user(db, "Đỗ Minh Anh", "approver", "", "en");
        switcher_ = loa::test::add_web_user(db, "Vũ Thị Lan", "viewer");
        chooser_ = loa::test::add_web_user(db, "Trịnh Văn Chọn", "viewer", "", "en");
        editor_ = loa::test::add_web_user(db, "Lê Thị Giáo", "editor", "education");
        admin_ = loa::test::add_web_user(db, "Hoàng Quản Trị", "admin");
        // Two feed tokens: one from `loa token add`, one from the admin page.
        (void)loa::core::add_feed_token(db, "thp-radio", "Lịch phòng tin", {std::nullopt, "(command line)"});
        const auto admin = loa::core::find_user(db, "Hoàng Quản Trị");
        if (!admin) throw std::runtime_error("no admin");
        (void)loa::core::add_feed_token(db, "thp-radio", "Trang web", {admin->id, admin->name});
    }

    static void TearDownTestSuite() {
        loa::test::stop_served(*server_);
        delete server_;
        server_ = nullptr;
    }

    // One request on its own connection; `headers` are extra lines "Name: value".
    static http_reply send(const std::string& method, const std::string& target,
                           std::vector<std::string> headers = {}, const std::string& body = {}) {
        if (method == "POST") headers.emplace_back("Content-Type: application/x-www-form-urlencoded");
        return loa::test::send_request(server_->port(), method, target, headers, body);
    }

    static http_reply page(const std::string& target, const session* who, const std::string& accept_language,
                           const std::string& cookies = {}) {
        std::vector<std::string> h{"Accept: text/html"};
        if (!accept_language.empty()) h.push_back("Accept-Language: " + accept_language);
        std::string cookie = who != nullptr ? who->cookie : std::string{};
        if (!cookies.empty()) cookie += (cookie.empty() ? "" : "; ") + cookies;
        if (!cookie.empty()) h.push_back("Cookie: " + cookie);
        return send("GET", target, h);
    }

    static inline loa::test::served* server_ = nullptr;
    static inline session viewer_;
    static inline session english_;
    static inline session switcher_;
    static inline session chooser_;
    static inline session editor_;
    static inline session admin_;
};

TEST_F(WebTest, HomeRedirectsToTheOnlyCampaign) {
    const auto r = send("GET", "/", {"Accept: text/html"});
    EXPECT_EQ(r.status, 303U);
    EXPECT_EQ(r.header("location"), overview);
}

TEST_F(WebTest, OverviewNeedsASession) {
    const auto r = page(overview, nullptr, "vi");
    EXPECT_EQ(r.status, 303U);
    EXPECT_EQ(r.header("location"), "/login?next=%2Fcampaigns%2F" + std::string(shipped_slug));
}

TEST_F(WebTest, OverviewInVietnamese) {
    const auto r = page(overview, &viewer_, "vi-VN,vi;q=0.9,en;q=0.5");
    ASSERT_EQ(r.status, 200U) << r.body;
    EXPECT_EQ(r.header("content-type"), "text/html; charset=utf-8");
    const std::string& b = r.body;
    EXPECT_TRUE(contains(b, "<html lang=\"vi\">"));
    EXPECT_TRUE(contains(b, "Tổng quan chiến dịch"));
    EXPECT_TRUE(contains(b, "<time datetime=\"2024-07-01\">01/07/2024</time>")) << b;
    EXPECT_TRUE(contains(b, "30/07/2024"));
    EXPECT_TRUE(contains(b, "Việc đang chờ xử lý"));
    EXPECT_TRUE(contains(b, "Các đơn vị và nhiệm vụ"));
    EXPECT_TRUE(contains(b, "Phạm Thu Trang"));
    EXPECT_TRUE(contains(b, "href=\"" + overview + "/calendar\""));
    EXPECT_TRUE(contains(b, "href=\"" + overview + "/messages\""));
    EXPECT_TRUE(contains(b, "name=\"csrf_token\" value=\"" + viewer_.csrf + "\""));
    EXPECT_FALSE(contains(b, "Campaign overview"));
}

TEST_F(WebTest, OverviewInEnglishFromAcceptLanguage) {
    const auto r = page(overview, &viewer_, "en-GB,en;q=0.9,vi;q=0.4");
    ASSERT_EQ(r.status, 200U) << r.body;
    EXPECT_TRUE(contains(r.body, "<html lang=\"en\">"));
    EXPECT_TRUE(contains(r.body, "Campaign overview"));
    EXPECT_TRUE(contains(r.body, "<time datetime=\"2024-07-01\">1 July 2024</time>")) << r.body;
    EXPECT_TRUE(contains(r.body, "30 July 2024"));
    EXPECT_FALSE(contains(r.body, "Tổng quan chiến dịch"));
}

TEST_F(WebTest, LanguageOrderPreferenceThenCookieThenAcceptLanguage) {
    // The cookie beats Accept-Language.
    EXPECT_TRUE(contains(page(overview, &viewer_, "vi", "lang=en").body, "<html lang=\"en\">"));
    EXPECT_TRUE(contains(page(overview, &viewer_, "en", "lang=vi").body, "<html lang=\"vi\">"));
    // The stored preference beats the cookie.
    EXPECT_TRUE(contains(page(overview, &english_, "vi", "lang=vi").body, "<html lang=\"en\">"));
    // Nothing at all: Vietnamese.
    EXPECT_TRUE(contains(page(overview, &viewer_, "").body, "<html lang=\"vi\">"));
    EXPECT_TRUE(contains(page(overview, &viewer_, "fr, de;q=0.5").body, "<html lang=\"vi\">"));
}

TEST_F(WebTest, SwitcherSetsTheCookieAndStaysOnTheSite) {
    const auto r = send("GET", "/lang?to=en&next=%2Fcampaigns%2F" + std::string(shipped_slug) + "%3Fx%3D1");
    EXPECT_EQ(r.status, 303U);
    EXPECT_EQ(r.header("location"), overview + "?x=1");
    ASSERT_TRUE(r.header("set-cookie").has_value());
    EXPECT_TRUE(r.header("set-cookie")->starts_with("lang=en;"));
    for (const char* next : {"%2F%2Fevil.example%2F", "https%3A%2F%2Fevil.example%2F", "%2F%5Cevil.example",
                             "javascript%3Aalert(1)", "%2F%0D%0ASet-Cookie%3A%20x%3D1", ""}) {
        SCOPED_TRACE(next);
        const auto bad = send("GET", std::string("/lang?to=vi&next=") + next);
        EXPECT_EQ(bad.status, 303U);
        EXPECT_EQ(bad.header("location"), "/");
    }
    // An unknown language sets nothing.
    const auto unknown = send("GET", "/lang?to=fr&next=%2F");
    EXPECT_EQ(unknown.status, 303U);
    EXPECT_FALSE(unknown.header("set-cookie").has_value());
}

TEST_F(WebTest, SignedInSwitcherStoresThePreferenceWithCsrf) {
    const std::vector<std::string> h{"Accept: text/html", "Accept-Language: vi",
                                     "Cookie: " + switcher_.cookie};
    const auto refused = send("POST", "/lang", h, "to=en&next=%2F");
    EXPECT_EQ(refused.status, 403U);
    const auto r = send("POST", "/lang", h,
                        "csrf_token=" + switcher_.csrf + "&to=en&next=" + "%2Fcampaigns%2F" + shipped_slug);
    EXPECT_EQ(r.status, 303U) << r.body;
    EXPECT_EQ(r.header("location"), overview);
    // Without the cookie and against Accept-Language, the stored preference now decides.
    EXPECT_TRUE(contains(page(overview, &switcher_, "vi").body, "<html lang=\"en\">"));
    const auto back =
        send("POST", "/lang", h, "csrf_token=" + switcher_.csrf + "&to=vi&next=%2F%2Fevil.example");
    EXPECT_EQ(back.header("location"), "/");
    EXPECT_TRUE(contains(page(overview, &switcher_, "en").body, "<html lang=\"vi\">"));
}

TEST_F(WebTest, LanguageSwitchAfterARefusedFormFetchesThePage) {
    // A password form sent back with its errors answers POST /account/password, which GET cannot
    // fetch (405): the switch goes back to /account instead.
    const std::vector<std::string> h{"Accept: text/html", "Accept-Language: vi",
                                     "Cookie: " + chooser_.cookie};
    const auto r =
        send("POST", "/account/password", h,
             "csrf_token=" + chooser_.csrf + "&current_password=&new_password=x&confirm_password=y");
    ASSERT_EQ(r.status, 400U) << r.body;
    EXPECT_TRUE(contains(r.body, "name=\"next\" value=\"/account\"")) << r.body;
    EXPECT_FALSE(contains(r.body, "value=\"/account/password\""));
    const auto back = send("POST", "/lang", h, "csrf_token=" + chooser_.csrf + "&to=en&next=%2Faccount");
    EXPECT_EQ(back.header("location"), "/account");
    EXPECT_EQ(page("/account", &chooser_, "vi").status, 200U);
}

TEST_F(WebTest, AsMyBrowserAsksRemovesTheLanguageCookie) {
    const std::vector<std::string> h{"Accept: text/html", "Cookie: " + chooser_.cookie + "; lang=en"};
    const auto r = send("POST", "/account", h, "csrf_token=" + chooser_.csrf + "&language=");
    ASSERT_EQ(r.status, 303U) << r.body;
    EXPECT_EQ(r.header("set-cookie"), "lang=; Path=/; Max-Age=0; SameSite=Lax; HttpOnly");
    // Without the preference and the cookie, Accept-Language decides.
    EXPECT_TRUE(contains(page("/account", &chooser_, "vi").body, "<html lang=\"vi\">"));
    // A language chosen sets the cookie as the switcher does.
    const auto en = send("POST", "/account", h, "csrf_token=" + chooser_.csrf + "&language=en");
    EXPECT_EQ(en.header("set-cookie"), "lang=en; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly");
}

TEST_F(WebTest, StaticAssetsFromTheAllowList) {
    const auto css = send("GET", "/static/loa.css");
    ASSERT_EQ(css.status, 200U);
    EXPECT_EQ(css.header("content-type"), "text/css; charset=utf-8");
    ASSERT_TRUE(css.header("etag").has_value());
    EXPECT_TRUE(css.header("cache-control").has_value());
    EXPECT_TRUE(contains(css.body, "@media print"));
    const auto again = send("GET", "/static/loa.css", {"If-None-Match: " + *css.header("etag")});
    EXPECT_EQ(again.status, 304U);
    EXPECT_TRUE(again.body.empty());
    EXPECT_EQ(send("GET", "/static/loa.js").status, 200U);
    for (const char* target :
         {"/static/../x", "/static/..%2F..%2FCMakeLists.txt", "/static/layout.mustache", "/static/%2E%2E",
          "/static/loa.css/", "/static/", "/static/static%2Floa.css"}) {
        SCOPED_TRACE(target);
        const auto r = send("GET", target, {"Accept: text/html"});
        EXPECT_EQ(r.status, 404U);
        EXPECT_FALSE(contains(r.body, "@media"));
    }
}

TEST_F(WebTest, TheIconIsServedAndLinked) {
    const auto icon = send("GET", "/favicon.ico");
    ASSERT_EQ(icon.status, 200U);
    EXPECT_EQ(icon.header("content-type"), "image/svg+xml");
    EXPECT_TRUE(contains(icon.body, "<svg"));
    EXPECT_EQ(send("GET", "/static/favicon.svg").status, 200U);
    EXPECT_TRUE(contains(page(overview, &viewer_, "vi").body, "<link rel=\"icon\" href=\"/static/favicon.svg?v="));
}

TEST_F(WebTest, EditorsSeeTheirDepartmentsNameNotItsCode) {
    const auto vi = page("/account", &editor_, "vi");
    ASSERT_EQ(vi.status, 200U);
    EXPECT_TRUE(contains(vi.body, "(Biên tập viên · Sở Giáo dục và Đào tạo)")) << vi.body;
    EXPECT_TRUE(contains(vi.body, "id=\"account-department\">Sở Giáo dục và Đào tạo</dd>"));
    EXPECT_FALSE(contains(vi.body, "education)"));
    EXPECT_FALSE(contains(vi.body, ">education<"));
    const auto en = page("/account", &editor_, "en", "lang=en");
    EXPECT_TRUE(contains(en.body, "id=\"account-department\">Department of Education and Training</dd>")) << en.body;
}

TEST_F(WebTest, CalendarExplainsWhichParameterIsWrong) {
    const auto vi = page(overview + "/calendar?view=month&date=2024-13-01", &viewer_, "vi");
    EXPECT_EQ(vi.status, 400U);
    EXPECT_TRUE(contains(vi.body, "“2024-13-01” không phải là một ngày có thật: hãy cho date là một ngày có thật, ví dụ 30/07/2024 hoặc 2024-07-30."))
        << vi.body;
    const auto en = page(overview + "/calendar?view=year", &viewer_, "en", "lang=en");
    EXPECT_EQ(en.status, 400U);
    EXPECT_TRUE(contains(en.body, "The view “year” is unknown: give view as month, week, day or agenda."));
}

// A date typed the Vietnamese way (day/month/year) is read as that day on pages; one that does
// not exist is named as such, in the page's language.
TEST_F(WebTest, PagesReadDatesTypedDayMonthYear) {
    const auto day = page(overview + "/calendar?view=day&date=30/07/2024", &viewer_, "vi");
    EXPECT_EQ(day.status, 200U) << day.body;
    EXPECT_TRUE(contains(day.body, "30/07/2024")) << day.body;
    const auto compliance = page(overview + "/compliance?from=29/07/2024&to=31/7/2024", &viewer_, "vi");
    EXPECT_EQ(compliance.status, 200U) << compliance.body;
    // The filter shows the days back as its date inputs take them.
    EXPECT_TRUE(contains(compliance.body, "value=\"2024-07-29\"")) << compliance.body;
    EXPECT_TRUE(contains(compliance.body, "value=\"2024-07-31\"")) << compliance.body;
    const auto audit = page("/audit?from=1/7/2024", &admin_, "vi");
    EXPECT_EQ(audit.status, 200U);
    EXPECT_TRUE(contains(audit.body, "id=\"audit-from\" name=\"from\" value=\"2024-07-01\"")) << audit.body;
    const auto missing = page(overview + "/compliance?from=31/06/2024", &viewer_, "en", "lang=en");
    EXPECT_EQ(missing.status, 400U);
    EXPECT_TRUE(contains(missing.body, "Give a first day that exists, such as 2024-07-30.")) << missing.body;
}

// A filter given twice with different values: which was meant is not known, so the page says so
// (the JSON APIs answer 400 too); the same value twice is no trouble.
TEST_F(WebTest, AFilterGivenTwiceWithDifferentValuesIsNamed) {
    const auto vi = page(overview + "/calendar?department=police&department=education", &viewer_, "vi");
    EXPECT_EQ(vi.status, 400U);
    EXPECT_TRUE(contains(vi.body, "Tham số “department” được cho nhiều lần với các giá trị khác nhau: hãy chỉ cho một lần."))
        << vi.body;
    const auto en = page(overview + "/compliance?outlet=thp-radio&outlet=thp-tv", &viewer_, "en", "lang=en");
    EXPECT_EQ(en.status, 400U);
    EXPECT_TRUE(contains(en.body, "The parameter “outlet” is given more than once, with different values: give it once."))
        << en.body;
    EXPECT_EQ(page(overview + "/plan?outlet=thp-radio&outlet=thp-tv&date=2024-07-30", &viewer_, "vi").status, 400U);
    EXPECT_EQ(page("/audit?actor=cli&actor=x", &admin_, "vi").status, 400U);
    EXPECT_EQ(page(overview + "/messages?state=draft&state=approved", &viewer_, "vi").status, 400U);
    const auto csv = send("GET", overview + "/compliance.csv?from=2024-07-01&from=2024-07-02",
                          {"Accept: text/csv", "Cookie: " + viewer_.cookie});
    EXPECT_EQ(csv.status, 400U);
    EXPECT_TRUE(contains(csv.body, "\"from\"")) << csv.body;
    EXPECT_EQ(page(overview + "/calendar?view=week&view=week", &viewer_, "vi").status, 200U);
}

TEST_F(WebTest, ComplianceCsvErrorsInThePageLanguageForBrowsers) {
    const auto vi = page(overview + "/compliance.csv?from=30-07-2024", &viewer_, "vi");
    EXPECT_EQ(vi.status, 400U);
    EXPECT_EQ(vi.header("content-type"), "text/html; charset=utf-8");
    EXPECT_TRUE(contains(vi.body, "Hãy nhập một ngày đầu có thật, ví dụ 30/07/2024 hoặc 2024-07-30.")) << vi.body;
    // Other clients: problem+json in English, like every API error.
    const auto csv = send("GET", overview + "/compliance.csv?from=30-07-2024",
                          {"Accept: text/csv", "Accept-Language: vi", "Cookie: " + viewer_.cookie});
    EXPECT_EQ(csv.status, 400U);
    EXPECT_EQ(csv.header("content-type"), "application/problem+json");
    EXPECT_TRUE(contains(csv.body, "Give a first day that exists, such as 2024-07-30."));
    // An outlet the campaign does not have: refused as the page refuses it, not an empty file.
    const auto unknown = send("GET", overview + "/compliance.csv?outlet=dai-khong-co",
                              {"Accept: text/csv", "Cookie: " + viewer_.cookie});
    EXPECT_EQ(unknown.status, 400U);
    EXPECT_EQ(unknown.header("content-type"), "application/problem+json");
    EXPECT_TRUE(contains(unknown.body, "Choose an outlet of this campaign.")) << unknown.body;
    EXPECT_EQ(page(overview + "/compliance.csv?outlet=dai-khong-co", &viewer_, "vi").status, 400U);
    EXPECT_EQ(page(overview + "/compliance?outlet=dai-khong-co", &viewer_, "vi").status, 400U);
}

TEST_F(WebTest, FeedTokensNameTheirCreatorAndRevokingAsksFirst) {
    const auto vi = page("/admin/feeds", &admin_, "vi");
    ASSERT_EQ(vi.status, 200U);
    EXPECT_TRUE(contains(vi.body, "tạo bằng dòng lệnh")) << vi.body;
    EXPECT_TRUE(contains(vi.body, "do Hoàng Quản Trị tạo"));
    EXPECT_FALSE(contains(vi.body, "user:"));
    EXPECT_FALSE(contains(vi.body, ">cli<"));
    EXPECT_TRUE(contains(vi.body, "data-confirm=\"Thu hồi mã “Lịch phòng tin”? "));
    EXPECT_TRUE(contains(vi.body, "class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\""));
    const auto en = page("/admin/feeds", &admin_, "en", "lang=en");
    EXPECT_TRUE(contains(en.body, "from the command line"));
    EXPECT_TRUE(contains(en.body, "by Hoàng Quản Trị"));
    // A new token on a plain-HTTP server: its .ics URL is labelled as what it is.
    const auto made = send("POST", "/admin/feeds/tokens", {"Accept: text/html", "Cookie: " + admin_.cookie},
                           loa::test::form_encode({{"csrf_token", admin_.csrf}, {"outlet", "thp-radio"},
                                                   {"label", std::string(200, 'a')}}));
    // Post/redirect/get: the token is shown once, on the page the POST redirects to.
    ASSERT_EQ(made.status, 303U) << made.body;
    const std::string location = made.header("location").value_or("");
    ASSERT_TRUE(location.starts_with("/admin/feeds?created=")) << location;
    const auto shown = page(location, &admin_, "vi");
    ASSERT_EQ(shown.status, 200U) << shown.body;
    EXPECT_TRUE(contains(shown.body, "Tệp iCalendar (HTTP)"));
    EXPECT_FALSE(contains(shown.body, "(HTTPS)"));
    EXPECT_TRUE(contains(shown.body, "id=\"fresh-token-value\""));
    // Reloaded: not shown again, and no other token made.
    const auto again = page(location, &admin_, "vi");
    ASSERT_EQ(again.status, 200U);
    EXPECT_FALSE(contains(again.body, "id=\"fresh-token-value\""));
    EXPECT_TRUE(contains(again.body, "Mã mới chỉ hiện một lần và không được lưu lại.")) << again.body;
    const auto live = [](const std::string& body) {
        std::size_t n = 0;
        for (auto at = body.find("data-state=\"live\""); at != std::string::npos;
             at = body.find("data-state=\"live\"", at + 1))
            ++n;
        return n;
    };
    EXPECT_EQ(live(again.body), live(shown.body));
}

TEST_F(WebTest, FeedTokenLabelsAreCountedInCharactersAsTheFormIs) {
    // 200 Vietnamese letters (2 or 3 bytes each) fit, as maxlength="200" lets them; 201 do not.
    std::string label;
    for (int i = 0; i < 200; ++i) label += "ệ";
    const auto ok = send("POST", "/admin/feeds/tokens", {"Accept: text/html", "Cookie: " + admin_.cookie},
                         loa::test::form_encode({{"csrf_token", admin_.csrf}, {"outlet", "thp-tv"}, {"label", label}}));
    EXPECT_EQ(ok.status, 303U) << ok.body;
    const auto long_one =
        send("POST", "/admin/feeds/tokens", {"Accept: text/html", "Cookie: " + admin_.cookie},
             loa::test::form_encode({{"csrf_token", admin_.csrf}, {"outlet", "thp-tv"}, {"label", label + "ệ"}}));
    EXPECT_EQ(long_one.status, 422U);
    EXPECT_TRUE(contains(long_one.body, "Nhãn quá dài (tối đa 200 ký tự)."));
    EXPECT_TRUE(contains(page("/admin/feeds", &admin_, "vi").body, "maxlength=\"200\""));
}

TEST_F(WebTest, FormFieldsAreAsLongAsTheServerAccepts) {
    const auto msg = page(overview + "/messages/new", &editor_, "vi");
    ASSERT_EQ(msg.status, 200U);
    EXPECT_FALSE(contains(msg.body, "maxlength=\"400\""));
    EXPECT_TRUE(contains(msg.body, "name=\"title_vi\" value=\"\" maxlength=\"200\""));
    EXPECT_TRUE(contains(msg.body, "name=\"text_vi\" rows=\"6\" maxlength=\"5000\""));
    const auto act = page(overview + "/activities/new", &editor_, "vi");
    ASSERT_EQ(act.status, 200U);
    EXPECT_TRUE(contains(act.body, "name=\"title_vi\" maxlength=\"200\""));
    EXPECT_TRUE(contains(act.body, "name=\"description_vi\" maxlength=\"5000\""));
    EXPECT_TRUE(contains(act.body, "name=\"location_en\" maxlength=\"200\""));
}

TEST_F(WebTest, ErrorPagesForBrowsersInTheirLanguage) {
    const auto vi = page("/campaigns/no-such-campaign", &viewer_, "vi");
    EXPECT_EQ(vi.status, 404U);
    EXPECT_EQ(vi.header("content-type"), "text/html; charset=utf-8");
    EXPECT_TRUE(contains(vi.body, "Không tìm thấy trang"));
    const auto en = page("/campaigns/no-such-campaign", &viewer_, "en");
    EXPECT_TRUE(contains(en.body, "Page not found"));
    const auto unmatched = page("/no/such/page", nullptr, "en");
    EXPECT_EQ(unmatched.status, 404U);
    EXPECT_TRUE(contains(unmatched.body, "Page not found"));
    // The API keeps problem+json.
    const auto api = send("GET", "/api/v1/campaigns/no-such-campaign");
    EXPECT_EQ(api.status, 404U);
    EXPECT_EQ(api.header("content-type"), "application/problem+json");
}

TEST_F(WebTest, OversizeFormIsA413PageForBrowsers) {
    const auto oversize = [](const std::string& accept) {
        http_connection c(server_->port());
        // Content-Length above the 1 MiB default: refused on the header, before any body is read.
        c.send("POST /lang HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: " + accept +
               "\r\nAccept-Language: en\r\nCookie: lang=vi\r\n"
               "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 2000000\r\n\r\nto=en");
        auto r = c.read_reply(false, std::chrono::seconds(10));
        if (!r) throw std::runtime_error("no reply to the over-size POST");
        return std::move(*r);
    };
    const auto page = oversize("text/html,application/xhtml+xml");
    EXPECT_EQ(page.status, 413U);
    EXPECT_EQ(page.header("content-type"), "text/html; charset=utf-8");
    EXPECT_TRUE(contains(page.body, "<html lang=\"vi\">"));  // the cookie's language
    EXPECT_TRUE(contains(page.body, "Dữ liệu gửi lên quá lớn")) << page.body;
    const auto api = oversize("application/json");
    EXPECT_EQ(api.status, 413U);
    EXPECT_EQ(api.header("content-type"), "application/problem+json");
}

// Its own server: a second campaign changes what the home page does.
TEST(WebHostileTest, HostileCampaignTitlesShowAsText) {
    loa::test::served server("access_log: off\n");
    auto c = loa::testing::api_campaign();
    c.slug = "hostile-2024";
    c.title = {"<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>"};
    c.theme = {"\"><img src=x onerror=alert(1)>", "<script>alert(1)</script>"};
    c.departments.front().name = {"<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>"};
    c.hotlines.push_back(
        {"0225 3 999 111", {"<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>"}, "<b>24/7</b>"});
    auto second = loa::testing::api_campaign();
    std::string cookie;
    {
        loa::core::database db(server.dir().file("loa.db"));
        loa::core::import_campaigns(db, {c, second});
        cookie = loa::test::add_web_user(db, "\"><img src=x onerror=alert(1)>", "viewer").cookie;
    }
    const auto get = [&](const std::string& target, const std::string& lang) {
        return loa::test::send_request(server.port(), "GET", target,
                                       {"Accept: text/html", "Accept-Language: " + lang, "Cookie: " + cookie});
    };
    for (const char* lang : {"vi", "en"}) {
        SCOPED_TRACE(lang);
        const auto r = get("/campaigns/hostile-2024", lang);
        ASSERT_EQ(r.status, 200U) << r.body;
        EXPECT_FALSE(contains(r.body, "<script>alert"));
        EXPECT_FALSE(contains(r.body, "<img src=x"));
        EXPECT_FALSE(contains(r.body, "<b>24/7"));
        EXPECT_TRUE(contains(r.body, "&lt;script&gt;alert(1)&lt;/script&gt;"));
        EXPECT_TRUE(contains(r.body, "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"));
    }
    // With two campaigns the home page lists both, escaped.
    const auto home = get("/", "vi");
    EXPECT_EQ(home.status, 200U);
    EXPECT_TRUE(contains(home.body, "href=\"/campaigns/hostile-2024\""));
    EXPECT_TRUE(contains(home.body, "href=\"/campaigns/" + second.slug + "\""));
    EXPECT_FALSE(contains(home.body, "<script>alert"));
    EXPECT_FALSE(contains(home.body, "<img src=x"));
    server.process().signal(SIGTERM);
    EXPECT_EQ(server.process().wait(std::chrono::seconds(10)), 0);
}

}  // namespace web_test_cpp
}  // namespace

namespace {
namespace web_test_cpp {

// A template with a syntax error stops `loa serve` before it listens, naming the file.
TEST(WebStartupTest, BrokenTemplateIsAStartupError) {
    loa::test::temp_dir dir;
    const fs::path web = dir.path() / "web";
    fs::create_directories(web / "static");
    const fs::path real = fs::path(LOA_SOURCE_DIR) / "templates" / "web";
    for (const auto& entry : fs::directory_iterator(real))
        if (entry.is_regular_file()) fs::copy_file(entry.path(), web / entry.path().filename());
    for (const auto& entry : fs::directory_iterator(real / "static"))
        fs::copy_file(entry.path(), web / "static" / entry.path().filename());
    std::ofstream(web / "overview.mustache", std::ios::app) << "\n{{#departments}}never closed\n";
    ::setenv("LOA_WEB_DIR", web.c_str(), 1);
    loa::test::loa_process p({"serve", "--db", (dir.path() / "loa.db").string(), "--listen", "127.0.0.1:0"},
                             dir.path() / "stderr.txt");
    ::unsetenv("LOA_WEB_DIR");
    EXPECT_FALSE(p.read_line(std::chrono::seconds(10)).has_value());
    const auto code = p.wait(std::chrono::seconds(10));
    ASSERT_TRUE(code.has_value());
    EXPECT_NE(*code, 0);
    EXPECT_NE(p.stderr_text().find("overview.mustache"), std::string::npos) << p.stderr_text();
}

}  // namespace web_test_cpp
}  // namespace
