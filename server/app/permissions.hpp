// The one place roles are decided: which access level a user meets, and which departments a user may
// edit. dispatch() asks allows() for every route; handlers ask may_edit_department() for editors'
// department scope. Pure and thread-safe.
#pragma once

#include <optional>
#include <string_view>

#include "server/http/exchange.hpp"

namespace loa::app {

// The rank of a role name: viewer 1 < editor 2 < approver 3 < admin 4; 0 for anything else (an
// unknown role is treated like no role at all, so it meets only access::anyone).
[[nodiscard]] int role_rank(std::string_view role) noexcept;

// True when `role` is one of admin, approver, editor, viewer.
[[nodiscard]] bool is_known_role(std::string_view role) noexcept;

// Whether `user` (nullopt = anonymous) meets `need`. access::anyone allows everyone; every other
// level needs a signed-in user whose role ranks at least as high (viewer < editor < approver < admin).
[[nodiscard]] bool allows(http::access need, const std::optional<http::principal>& user) noexcept;

// Whether `u` may create or change things of the department `department_code`: admins and approvers
// any department, editors only their own (exact code match; an editor without a department none),
// viewers and unknown roles none.
[[nodiscard]] bool may_edit_department(const http::principal& u, std::string_view department_code) noexcept;

}  // namespace loa::app
