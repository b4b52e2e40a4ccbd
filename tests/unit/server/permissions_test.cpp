// app::permissions: the role order of allows() and the department scope of may_edit_department().
#include "server/app/permissions.hpp"

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

namespace {
namespace permissions_test_cpp {

using loa::http::access;
using loa::http::principal;

principal user(std::string role, std::string department = "") {
    principal p;
    p.user_id = 1;
    p.name = "Nguyễn Thị Hương";
    p.role = std::move(role);
    p.department = std::move(department);
    return p;
}

TEST(permissions, anyone_allows_everyone_including_anonymous) {
    EXPECT_TRUE(loa::app::allows(access::anyone, std::nullopt));
    EXPECT_TRUE(loa::app::allows(access::anyone, user("viewer")));
    EXPECT_TRUE(loa::app::allows(access::anyone, user("bogus")));
}

TEST(permissions, anonymous_meets_no_role) {
    for (const auto need : {access::viewer, access::editor, access::approver, access::admin})
        EXPECT_FALSE(loa::app::allows(need, std::nullopt));
}

TEST(permissions, roles_are_ordered_viewer_editor_approver_admin) {
    const std::array<const char*, 4> roles = {"viewer", "editor", "approver", "admin"};
    const std::array<access, 4> needs = {access::viewer, access::editor, access::approver, access::admin};
    for (std::size_t r = 0; r < roles.size(); ++r) {
        for (std::size_t n = 0; n < needs.size(); ++n) {
            EXPECT_EQ(loa::app::allows(needs[n], user(roles[r])), r >= n) << roles[r] << " need " << n;
        }
    }
}

TEST(permissions, unknown_or_empty_role_is_like_anonymous) {
    EXPECT_FALSE(loa::app::allows(access::viewer, user("")));
    EXPECT_FALSE(loa::app::allows(access::viewer, user("Admin")));  // exact spelling only
    EXPECT_FALSE(loa::app::allows(access::viewer, user("superuser")));
    EXPECT_FALSE(loa::app::is_known_role("root"));
    EXPECT_TRUE(loa::app::is_known_role("approver"));
}

TEST(permissions, admins_and_approvers_edit_any_department) {
    EXPECT_TRUE(loa::app::may_edit_department(user("admin"), "education"));
    EXPECT_TRUE(loa::app::may_edit_department(user("approver"), "police"));
    EXPECT_TRUE(loa::app::may_edit_department(user("approver", "health"), "police"));
}

TEST(permissions, editors_edit_only_their_own_department) {
    EXPECT_TRUE(loa::app::may_edit_department(user("editor", "education"), "education"));
    EXPECT_FALSE(loa::app::may_edit_department(user("editor", "education"), "police"));
    EXPECT_FALSE(loa::app::may_edit_department(user("editor", "education"), "Education"));
    EXPECT_FALSE(loa::app::may_edit_department(user("editor", "education"), ""));
    EXPECT_FALSE(loa::app::may_edit_department(user("editor", ""), ""));  // no department: none
}

TEST(permissions, viewers_and_unknown_roles_edit_nothing) {
    EXPECT_FALSE(loa::app::may_edit_department(user("viewer", "education"), "education"));
    EXPECT_FALSE(loa::app::may_edit_department(user("", "education"), "education"));
}

// allows() is the one place roles are ranked: a page that asks "is this an approver?" by comparing
// role names, or by ranking them itself, drifts from what dispatch lets through when a role is added
// or renamed. Role *labels* (a role's name in words) are not decisions and are not matched here.
TEST(permissions, pages_ask_allows_instead_of_comparing_role_names) {
    namespace fs = std::filesystem;
    // A role name compared with ==/!= through a member (u.role, req.user->role), or ranks compared
    // outside app/permissions; an editor's department default (role == "editor") is scope, not rank.
    const std::regex decision(
        R"re((\.|->)role\s*[!=]=\s*"(admin|approver|viewer)"|role_rank\s*\(|role_level\s*\()re");
    for (const char* dir : {"server/handlers", "server/web"}) {
        for (const auto& entry : fs::directory_iterator(fs::path(LOA_SOURCE_DIR) / dir)) {
            const std::string name = entry.path().filename().string();
            if (entry.path().extension() != ".cpp") continue;
            std::ifstream in(entry.path());
            std::string line;
            for (int n = 1; std::getline(in, line); ++n)
                EXPECT_FALSE(std::regex_search(line, decision))
                    << dir << "/" << name << ":" << n << ": " << line;
        }
    }
}

}  // namespace permissions_test_cpp
}  // namespace
