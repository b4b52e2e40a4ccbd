// Child-process handling for the integration tests: posix_spawn, a stdout pipe, waitpid with a timeout.
#include "loa_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace loa::test {

namespace fs = std::filesystem;
using steady = std::chrono::steady_clock;

temp_dir::temp_dir() {
    std::random_device rd;
    path_ = fs::temp_directory_path() / ("loa-it-" + std::to_string(rd()) + std::to_string(rd()));
    fs::create_directories(path_);
}

temp_dir::~temp_dir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
}

fs::path temp_dir::write(const std::string& name, const std::string& text) const {
    const auto p = path_ / name;
    std::ofstream(p, std::ios::binary) << text;
    return p;
}

loa_process::loa_process(const std::vector<std::string>& args, const fs::path& stderr_file)
    : stderr_file_(stderr_file) {
    int pipe_fds[2];
    if (::pipe2(pipe_fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe: " + std::string(std::strerror(errno)));

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, stderr_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0644);
    std::vector<std::string> words{LOA_BINARY};
    words.insert(words.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& w : words) argv.push_back(w.data());
    argv.push_back(nullptr);
    const int rc = ::posix_spawn(&pid_, LOA_BINARY, &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(pipe_fds[1]);
    stdout_fd_ = pipe_fds[0];
    if (rc != 0) {
        ::close(stdout_fd_);
        throw std::runtime_error("posix_spawn " + std::string(LOA_BINARY) + ": " + std::strerror(rc));
    }
}

loa_process::~loa_process() {
    if (running()) {
        ::kill(pid_, SIGKILL);
        (void)wait(std::chrono::seconds(5));
    }
    if (stdout_fd_ >= 0) ::close(stdout_fd_);
}

std::optional<std::string> loa_process::read_line(std::chrono::milliseconds timeout) {
    const auto deadline = steady::now() + timeout;
    for (;;) {
        if (const auto nl = out_.find('\n'); nl != std::string::npos) {
            std::string line = out_.substr(0, nl);
            out_.erase(0, nl + 1);
            return line;
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - steady::now());
        if (left.count() <= 0) return std::nullopt;
        pollfd p{stdout_fd_, POLLIN, 0};
        const int ready = ::poll(&p, 1, static_cast<int>(left.count()));
        if (ready < 0 && errno == EINTR) continue;
        if (ready <= 0) return std::nullopt;
        char chunk[1024];
        const auto n = ::read(stdout_fd_, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return std::nullopt;
        out_.append(chunk, static_cast<std::size_t>(n));
    }
}

void loa_process::signal(int signo) const { ::kill(pid_, signo); }

std::optional<int> loa_process::wait(std::chrono::milliseconds timeout) {
    if (status_) return status_;
    const auto deadline = steady::now() + timeout;
    for (;;) {
        int st = 0;
        const pid_t r = ::waitpid(pid_, &st, WNOHANG);
        if (r == pid_) {
            status_ = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
            return status_;
        }
        if (r < 0 && errno != EINTR) return std::nullopt;
        if (steady::now() >= deadline) return std::nullopt;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
}

bool loa_process::running() { return !wait(std::chrono::milliseconds(0)); }

std::string loa_process::stderr_text() const {
    std::ifstream in(stderr_file_, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

served::served(const std::string& config_yaml, std::vector<std::string> extra_args) {
    const auto config = dir_.write("server.yaml", config_yaml);
    std::vector<std::string> args{"serve", "--db", dir_.file("loa.db").string(), "--listen", "127.0.0.1:0",
                                  "--config", config.string()};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    process_.emplace(args, dir_.file("stderr.log"));
    const auto line = process_->read_line();
    if (!line) throw std::runtime_error("loa serve printed no listening line; stderr: " + process_->stderr_text());
    line_ = *line;
    const auto colon = line_.rfind(':');
    port_ = static_cast<unsigned short>(std::stoul(line_.substr(colon + 1)));
}

run_result run_loa(const std::filesystem::path& dir, const std::vector<std::string>& args) {
    const std::filesystem::path out_file = dir / "cli-stdout.txt";
    const std::filesystem::path err_file = dir / "cli-stderr.txt";
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    std::vector<std::string> words{LOA_BINARY};
    words.insert(words.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& w : words) argv.push_back(w.data());
    argv.push_back(nullptr);
    pid_t pid = 0;
    run_result r;
    const int rc = ::posix_spawn(&pid, LOA_BINARY, &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
        r.err = "posix_spawn failed";
        return r;
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    if (WIFEXITED(status)) r.status = WEXITSTATUS(status);
    const auto slurp = [](const std::filesystem::path& p) {
        std::ifstream in(p, std::ios::binary);
        std::ostringstream text;
        text << in.rdbuf();
        return text.str();
    };
    r.out = slurp(out_file);
    r.err = slurp(err_file);
    return r;
}

}  // namespace loa::test
