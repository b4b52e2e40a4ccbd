// Pages in the layout, escaping of hostile text, the overview page, error pages, template checks at
// start, and static assets from the allow-list.
#include "server/web/render.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "server/handlers/pages.hpp"

namespace {
namespace render_test_cpp {

namespace fs = std::filesystem;
namespace web = loa::web;
using loa::http::principal;
using loa::http::request;
using namespace date::literals;

constexpr const char* hostile_script = "<script>alert(1)</script>";
constexpr const char* hostile_img = "\"><img src=x onerror=alert(1)>";

request page_request(const std::string& lang, const std::string& path = "/campaigns/hp") {
    request r;
    r.method = "GET";
    r.path = path;
    r.target = path;
    r.lang = lang;
    return r;
}

principal user(const std::string& role, const std::string& department = "") {
    principal p;
    p.user_id = 7;
    p.name = "Nguyễn Thị Hà";
    p.role = role;
    p.department = department;
    p.csrf_token = "tok-123_ABC";
    return p;
}

std::size_t count(const std::string& haystack, const std::string& needle) {
    std::size_t n = 0;
    for (auto pos = haystack.find(needle); pos != std::string::npos; pos = haystack.find(needle, pos + 1))
        ++n;
    return n;
}

std::string header(const loa::http::response& res, const std::string& name) {
    for (const auto& [k, v] : res.headers)
        if (k == name) return v;
    return {};
}

loa::core::campaign sample_campaign(const std::string& title_vi) {
    loa::core::campaign c;
    c.slug = "hp";
    c.title = {title_vi, "Hai Phong says no to trafficking"};
    c.theme = {"Chung tay phòng, chống mua bán người", "Together against trafficking"};
    c.period_start = 2024_y / 7 / 1;
    c.period_end = 2024_y / 7 / 31;
    c.time_zone = "Asia/Ho_Chi_Minh";
    c.key_dates = {{2024_y / 7 / 1, {"Khai mạc", "Opening"}, 1.0},
                   {2024_y / 7 / 30,
                    {"Ngày Thế giới phòng, chống mua bán người", "World Day against Trafficking"},
                    3.0}};
    c.hotlines = {{"111", {"Tổng đài quốc gia bảo vệ trẻ em", "National child protection hotline"}, "24/7"}};
    loa::core::department edu;
    edu.code = "education";
    edu.name = {"Sở Giáo dục và Đào tạo", "Department of Education and Training"};
    edu.duties = {{"Tổ chức buổi ngoại khóa ở trường", "School sessions"}};
    loa::core::department police;
    police.code = "police";
    police.name = {"Công an thành phố", "City Police"};
    c.departments = {edu, police};
    auto msg = [](std::string id, std::string dep, std::string state) {
        loa::core::message m;
        m.id = std::move(id);
        m.department = std::move(dep);
        m.state = std::move(state);
        return m;
    };
    c.messages = {msg("m1", "education", "submitted"), msg("m2", "education", "draft"),
                  msg("m3", "police", "draft"),        msg("m4", "police", "submitted"),
                  msg("m5", "police", "approved"),     msg("m6", "education", "rejected")};
    return c;
}

TEST(RenderPage, LayoutInVietnamese) {
    request r = page_request("vi");
    r.user = user("viewer");
    web::page_data d;
    d.set("title", "Trang thử nghiệm");
    const auto res = web::render_page(r, "error", d, 200);
    EXPECT_EQ(res.status, 200U);
    EXPECT_EQ(res.content_type, "text/html; charset=utf-8");
    EXPECT_EQ(header(res, "Cache-Control"), "no-store");
    EXPECT_EQ(header(res, "Content-Language"), "vi");
    const std::string& b = res.body;
    EXPECT_NE(b.find("<html lang=\"vi\">"), std::string::npos);
    EXPECT_NE(b.find("<title>Trang thử nghiệm · Chiến dịch phòng, chống mua bán người</title>"),
              std::string::npos)
        << b;
    EXPECT_NE(b.find("href=\"#main\""), std::string::npos);
    EXPECT_NE(b.find("<main id=\"main\""), std::string::npos);
    EXPECT_NE(b.find("Nguyễn Thị Hà"), std::string::npos);
    // Logout and the language switcher are POST forms carrying the CSRF token.
    EXPECT_NE(b.find("action=\"/logout\""), std::string::npos);
    EXPECT_EQ(count(b, "name=\"csrf_token\" value=\"tok-123_ABC\""), 2U) << b;
    EXPECT_NE(b.find("action=\"/lang\""), std::string::npos);
    EXPECT_NE(b.find("name=\"to\" value=\"en\""), std::string::npos);
    EXPECT_NE(b.find(">English</button>"), std::string::npos);
    EXPECT_NE(b.find("Đăng xuất"), std::string::npos);
    EXPECT_NE(b.find("/static/loa.css?v="), std::string::npos);
    EXPECT_NE(b.find("<link rel=\"icon\" href=\"/static/favicon.svg?v="), std::string::npos);
    EXPECT_EQ(b.find("<script>"), std::string::npos);  // no inline script (CSP)
}

TEST(RenderPage, LanguageSwitchAfterAPostGoesToAPageThatCanBeFetched) {
    // Signed in: the switch is a form whose `next` is fetched with GET after POST /lang.
    request r = page_request("vi", "/account/password");
    r.method = "POST";
    r.user = user("viewer");
    web::page_data d;
    d.set("title", "Tài khoản");
    const std::string home = web::render_page(r, "error", d, 400).body;
    EXPECT_NE(home.find("name=\"next\" value=\"/\""), std::string::npos) << home;
    EXPECT_EQ(home.find("value=\"/account/password\""), std::string::npos) << home;
    // The handler names the page instead.
    d.set("path_query", "/account");
    const std::string account = web::render_page(r, "error", d, 400).body;
    EXPECT_NE(account.find("name=\"next\" value=\"/account\""), std::string::npos) << account;
    // Anonymous: the switch is a link whose next follows the handler's page too.
    request anonymous = page_request("en", "/login");
    anonymous.method = "POST";
    web::page_data login;
    login.set("title", "Sign in");
    login.set("path_query", "/login?next=%2Fcampaigns%2Fhp");
    const std::string link = web::render_page(anonymous, "error", login, 401).body;
    EXPECT_NE(link.find("next=%2Flogin%3Fnext%3D%252Fcampaigns%252Fhp\""), std::string::npos) << link;
    // Not a local path: not used.
    login.set("path_query", "//evil.example/");
    const std::string evil = web::render_page(anonymous, "error", login, 401).body;
    EXPECT_EQ(evil.find("evil.example"), std::string::npos) << evil;
    EXPECT_NE(evil.find("&amp;next=%2F\""), std::string::npos) << evil;
    // A GET keeps its own address with its query.
    request get = page_request("vi", "/campaigns/hp/messages");
    get.target = "/campaigns/hp/messages?state=draft";
    get.user = user("viewer");
    const std::string list = web::render_page(get, "error", d, 200).body;
    EXPECT_NE(list.find("name=\"next\" value=\"/account\""), std::string::npos);  // the handler's own wins
    web::page_data plain;
    plain.set("title", "Thông điệp");
    const std::string own = web::render_page(get, "error", plain, 200).body;
    EXPECT_NE(own.find("name=\"next\" value=\"/campaigns/hp/messages?state=draft\""), std::string::npos)
        << own;
}

TEST(RenderPage, HeaderNamesTheDepartmentOnlyForEditors) {
    request r = page_request("vi");
    r.user = user("admin");
    web::page_data d;
    d.set("department", "police");  // a page's own variable must not leak into the header
    const auto admin = web::render_page(r, "campaigns", d);
    EXPECT_NE(admin.body.find("<span class=\"user-role\">(Quản trị viên)</span>"), std::string::npos) << admin.body;
    // The department's name from the campaigns in the page language, never its code.
    r.user = user("editor", "education");
    r.user->department_name = {"Sở Giáo dục và Đào tạo", "Department of Education and Training"};
    const auto editor = web::render_page(r, "campaigns", d);
    EXPECT_NE(editor.body.find("<span class=\"user-role\">(Biên tập viên · Sở Giáo dục và Đào tạo)</span>"),
              std::string::npos)
        << editor.body;
    r.lang = "en";
    const auto editor_en = web::render_page(r, "campaigns", d);
    EXPECT_NE(editor_en.body.find("(Editor · Department of Education and Training)"), std::string::npos);
    EXPECT_EQ(editor_en.body.find("· education)"), std::string::npos);
}

TEST(DepartmentLabel, FallsBackToVietnameseThenTheCode) {
    principal p = user("editor", "education");
    EXPECT_EQ(web::department_label(p, "vi"), "education");  // no campaign names it
    p.department_name.vi = "Sở Giáo dục và Đào tạo";
    EXPECT_EQ(web::department_label(p, "vi"), "Sở Giáo dục và Đào tạo");
    EXPECT_EQ(web::department_label(p, "en"), "Sở Giáo dục và Đào tạo");  // no English name
    p.department_name.en = "Department of Education";
    EXPECT_EQ(web::department_label(p, "en"), "Department of Education");
    EXPECT_EQ(web::department_label(user("viewer"), "vi"), "");
}

TEST(RenderPage, LayoutInEnglishForAnonymous) {
    request r = page_request("en", "/");
    r.target = "/?x=1&y=ư";
    const auto res = web::render_page(r, "campaigns", web::page_data{});
    const std::string& b = res.body;
    EXPECT_NE(b.find("<html lang=\"en\">"), std::string::npos);
    EXPECT_NE(b.find("href=\"/lang?to=vi&amp;next=%2F%3Fx%3D1%26y%3D%C6%B0\""), std::string::npos) << b;
    EXPECT_NE(b.find(">Tiếng Việt</a>"), std::string::npos);
    EXPECT_NE(b.find("href=\"/login\""), std::string::npos);
    // What was just done is announced once: coming back after switching the language does not
    // say "approved" again ("done", "saved", "cancelled" are left out of the way back).
    r.target = "/campaigns/hp/messages/m1?done=approved&tab=history";
    const std::string back = web::render_page(r, "campaigns", web::page_data{}).body;
    EXPECT_NE(back.find("next=%2Fcampaigns%2Fhp%2Fmessages%2Fm1%3Ftab%3Dhistory\""), std::string::npos) << back;
    r.target = "/campaigns/hp/calendar?saved=hop-bao&view=month&cancelled=x";
    EXPECT_NE(web::render_page(r, "campaigns", web::page_data{}).body.find(
                  "next=%2Fcampaigns%2Fhp%2Fcalendar%3Fview%3Dmonth\""),
              std::string::npos);
    EXPECT_EQ(b.find("/logout"), std::string::npos);
    EXPECT_EQ(b.find("csrf_token"), std::string::npos);
    EXPECT_NE(b.find("No campaign has been imported yet"), std::string::npos);
}

TEST(RenderPage, HostileTextIsEscaped) {
    for (const char* hostile : {hostile_script, hostile_img}) {
        SCOPED_TRACE(hostile);
        request r = page_request("vi");
        r.user = user("viewer");
        r.user->name = hostile;
        r.target = std::string("/campaigns/hp?q=") + hostile;
        auto c = sample_campaign(hostile);
        c.departments[0].name.vi = hostile;
        c.hotlines[0].hours = hostile;
        const auto res = web::render_page(r, "overview", loa::handlers::overview_data(c, r, 2024_y / 7 / 15));
        EXPECT_EQ(res.body.find("<script>alert"), std::string::npos);
        EXPECT_EQ(res.body.find("<img src=x"), std::string::npos);
        EXPECT_EQ(res.body.find("\"><img"), std::string::npos);
        EXPECT_NE(res.body.find("&lt;"), std::string::npos);
    }
    request r = page_request("vi");
    const auto res = web::render_page(
        r, "overview", loa::handlers::overview_data(sample_campaign(hostile_script), r, 2024_y / 7 / 15));
    EXPECT_NE(res.body.find("<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>"), std::string::npos);
    EXPECT_NE(res.body.find("<title>&lt;script&gt;alert(1)&lt;/script&gt; · "), std::string::npos);
}

TEST(RenderPage, TranslationSectionsRenderTagsInside) {
    // The translation lambda sees {{tags}} inside a msgid and renders them escaped afterwards.
    request r = page_request("vi");
    r.user = user("viewer");
    r.user->name = hostile_img;
    const auto res = web::render_page(r, "campaigns", web::page_data{});
    EXPECT_NE(res.body.find("Đăng nhập với tên"), std::string::npos) << res.body;
    EXPECT_NE(res.body.find("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"), std::string::npos);
}

TEST(Overview, VietnameseAndEnglish) {
    request vi = page_request("vi");
    vi.user = user("editor", "education");
    const auto c = sample_campaign("Hải Phòng nói không với mua bán người");
    const auto res = web::render_page(vi, "overview", loa::handlers::overview_data(c, vi, 2024_y / 7 / 15));
    const std::string& b = res.body;
    EXPECT_NE(b.find("<h1>Hải Phòng nói không với mua bán người</h1>"), std::string::npos);
    EXPECT_NE(b.find("Tổng quan chiến dịch"), std::string::npos);
    EXPECT_NE(b.find(">01/07/2024</time>"), std::string::npos);
    EXPECT_NE(b.find(">31/07/2024</time>"), std::string::npos);
    EXPECT_NE(b.find("Thứ Ba, 30/07/2024"), std::string::npos);
    EXPECT_NE(b.find("Sở Giáo dục và Đào tạo"), std::string::npos);
    EXPECT_NE(b.find("Tổ chức buổi ngoại khóa ở trường"), std::string::npos);
    EXPECT_NE(b.find("href=\"tel:111\""), std::string::npos);
    EXPECT_NE(b.find("id=\"count-submitted\">2<"), std::string::npos);
    EXPECT_NE(b.find("id=\"count-drafts\">2<"), std::string::npos);
    EXPECT_NE(b.find("id=\"count-approved\">1<"), std::string::npos);
    // The editor's own department.
    EXPECT_NE(b.find("id=\"my-count-submitted\">1<"), std::string::npos);
    EXPECT_NE(b.find("id=\"my-count-drafts\">1<"), std::string::npos);
    EXPECT_NE(b.find("department--mine"), std::string::npos);
    // Links to the other areas' pages, and the navigation for an editor (no approvals).
    EXPECT_NE(b.find("href=\"/campaigns/hp/calendar\""), std::string::npos);
    EXPECT_NE(b.find("href=\"/campaigns/hp/messages\""), std::string::npos);
    EXPECT_NE(b.find("<a href=\"/campaigns/hp\" aria-current=\"page\">Tổng quan</a>"), std::string::npos)
        << b;
    EXPECT_EQ(b.find("/campaigns/hp/approvals"), std::string::npos);
    // The next key date after 15 July is 30 July.
    EXPECT_NE(b.find("class=\"is-next\""), std::string::npos);

    request en = page_request("en");
    en.user = user("approver");
    const auto res_en =
        web::render_page(en, "overview", loa::handlers::overview_data(c, en, 2024_y / 7 / 15));
    const std::string& e = res_en.body;
    EXPECT_NE(e.find("<h1>Hai Phong says no to trafficking</h1>"), std::string::npos);
    EXPECT_NE(e.find("Campaign overview"), std::string::npos);
    EXPECT_NE(e.find(">1 July 2024</time>"), std::string::npos);
    EXPECT_NE(e.find("Tuesday, 30 July 2024"), std::string::npos);
    EXPECT_NE(e.find("Department of Education and Training"), std::string::npos);
    EXPECT_NE(e.find("/campaigns/hp/approvals"), std::string::npos);  // approvers see the queue
    EXPECT_NE(e.find("id=\"overview-approvals\""), std::string::npos);
    EXPECT_EQ(e.find("my-count-submitted"), std::string::npos);
    EXPECT_EQ(e.find("Tổng quan"), std::string::npos);
}

TEST(ErrorPage, EveryStatusInBothLanguages) {
    for (const unsigned status : {403U, 404U, 405U, 413U, 429U, 500U}) {
        for (const std::string lang : {"vi", "en"}) {
            SCOPED_TRACE(std::to_string(status) + " " + lang);
            const auto res = web::error_page(page_request(lang, "/x"), status, 30);
            EXPECT_EQ(res.status, status);
            EXPECT_EQ(res.content_type, "text/html; charset=utf-8");
            EXPECT_NE(res.body.find("<html lang=\"" + lang + "\">"), std::string::npos);
            EXPECT_NE(res.body.find("<h1>"), std::string::npos);
            EXPECT_NE(res.body.find("<main"), std::string::npos);
            EXPECT_EQ(header(res, "Retry-After"), status == 429 ? "30" : "");
        }
    }
    EXPECT_NE(web::error_page(page_request("vi"), 404).body.find("Không tìm thấy trang"), std::string::npos);
    EXPECT_NE(web::error_page(page_request("en"), 404).body.find("Page not found"), std::string::npos);
    EXPECT_NE(web::error_page(page_request("vi"), 413).body.find("Dữ liệu gửi lên quá lớn"),
              std::string::npos);
}

TEST(ErrorPage, DetailSaysWhatWasRefusedEscaped) {
    const auto res = web::error_page(page_request("vi", "/x"), 400, std::string("Ngày “<b>” không hợp lệ."));
    EXPECT_EQ(res.status, 400U);
    EXPECT_NE(res.body.find("<p id=\"error-detail\">Ngày “&lt;b&gt;” không hợp lệ.</p>"), std::string::npos)
        << res.body;
    EXPECT_EQ(web::error_page(page_request("vi", "/x"), 400).body.find("error-detail"), std::string::npos);
}

TEST(Redirect, SeeOther) {
    const auto res = web::redirect("/campaigns/hp");
    EXPECT_EQ(res.status, 303U);
    EXPECT_EQ(header(res, "Location"), "/campaigns/hp");
}

TEST(WantsHtml, ApiStaysJson) {
    EXPECT_TRUE(web::wants_html(page_request("vi", "/campaigns/hp")));
    EXPECT_TRUE(web::wants_html(page_request("vi", "/")));
    EXPECT_FALSE(web::wants_html(page_request("vi", "/api/v1/campaigns")));
    EXPECT_FALSE(web::wants_html(page_request("vi", "/healthz")));
    EXPECT_FALSE(web::wants_html(page_request("vi", "/metrics")));
}

TEST(StaticAssets, AllowListOnly) {
    const request r = page_request("vi", "/static/loa.css");
    const auto css = web::static_asset(r, "loa.css");
    ASSERT_TRUE(css.has_value());
    EXPECT_EQ(css->status, 200U);
    EXPECT_EQ(css->content_type, "text/css; charset=utf-8");
    EXPECT_NE(css->body.find(":focus-visible"), std::string::npos);
    EXPECT_NE(css->body.find("@media print"), std::string::npos);
    const std::string etag = header(*css, "ETag");
    EXPECT_EQ(etag.size(), 18U);
    EXPECT_FALSE(header(*css, "Cache-Control").empty());
    const auto js = web::static_asset(r, "loa.js");
    ASSERT_TRUE(js.has_value());
    EXPECT_EQ(js->content_type, "text/javascript; charset=utf-8");
    // Destructive buttons ask first; an error summary takes the focus.
    EXPECT_NE(js->body.find("data-confirm"), std::string::npos);
    EXPECT_NE(js->body.find(".error-summary"), std::string::npos);
    const auto icon = web::static_asset(r, "favicon.svg");
    ASSERT_TRUE(icon.has_value());
    EXPECT_EQ(icon->content_type, "image/svg+xml");
    EXPECT_NE(icon->body.find("<svg"), std::string::npos);
    for (const char* name :
         {"../loa.css", "layout.mustache", "../../CMakeLists.txt", "static/loa.css", "", "LOA.CSS"})
        EXPECT_FALSE(web::static_asset(r, name).has_value()) << name;

    request again = r;
    again.headers.emplace_back("if-none-match", "\"other\", " + etag);
    const auto not_modified = web::static_asset(again, "loa.css");
    ASSERT_TRUE(not_modified.has_value());
    EXPECT_EQ(not_modified->status, 304U);
    EXPECT_TRUE(not_modified->body.empty());
    EXPECT_EQ(header(*not_modified, "ETag"), etag);
}

class TemplateCheck : public ::testing::Test {
protected:
    void TearDown() override { web::init(web::default_paths()); }
};

TEST_F(TemplateCheck, SyntaxErrorIsAStartupErrorNamingTheTemplate) {
    const fs::path dir = fs::temp_directory_path() / ("loa-web-test-" + std::to_string(::getpid()));
    fs::create_directories(dir / "static");
    const fs::path real = web::default_paths().templates_dir;
    for (const char* f : {"layout.mustache", "error.mustache"})
        fs::copy_file(real / f, dir / f, fs::copy_options::overwrite_existing);
    for (const char* f : {"loa.css", "loa.js", "messages.js", "favicon.svg"})
        fs::copy_file(real / "static" / f, dir / "static" / f, fs::copy_options::overwrite_existing);
    std::ofstream(dir / "broken.mustache") << "<h1>{{#items}}unclosed</h1>\n";
    web::web_paths paths = web::default_paths();
    paths.templates_dir = dir;
    try {
        web::init(paths);
        ADD_FAILURE() << "init accepted a broken template";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("broken.mustache"), std::string::npos) << e.what();
    }
    // Without the broken one it loads; without an allow-listed asset it does not.
    fs::remove(dir / "broken.mustache");
    EXPECT_NO_THROW(web::init(paths));
    fs::remove(dir / "static" / "loa.js");
    EXPECT_THROW(web::init(paths), std::runtime_error);
    fs::remove_all(dir);
}

}  // namespace render_test_cpp
}  // namespace
