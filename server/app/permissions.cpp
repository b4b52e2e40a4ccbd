// Role ranks and department scope: the only code that interprets role names.
#include "server/app/permissions.hpp"

namespace loa::app {

namespace {

int need_rank(http::access need) noexcept {
    switch (need) {
        case http::access::anyone:
            return 0;
        case http::access::viewer:
            return 1;
        case http::access::editor:
            return 2;
        case http::access::approver:
            return 3;
        case http::access::admin:
            return 4;
    }
    return 5;  // an access level added later without a rank here: nobody, until it is ranked
}

}  // namespace

int role_rank(std::string_view role) noexcept {
    if (role == "viewer") return 1;
    if (role == "editor") return 2;
    if (role == "approver") return 3;
    if (role == "admin") return 4;
    return 0;
}

bool is_known_role(std::string_view role) noexcept {
    return role_rank(role) > 0;
}

bool allows(http::access need, const std::optional<http::principal>& user) noexcept {
    if (need == http::access::anyone) return true;
    if (!user) return false;
    return role_rank(user->role) >= need_rank(need);
}

bool may_edit_department(const http::principal& u, std::string_view department_code) noexcept {
    const int rank = role_rank(u.role);
    if (rank >= role_rank("approver")) return true;
    if (rank == role_rank("editor")) return !u.department.empty() && u.department == department_code;
    return false;
}

}  // namespace loa::app
