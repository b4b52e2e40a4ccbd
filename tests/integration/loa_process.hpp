// Runs the real loa binary (LOA_BINARY) as a child process for the integration tests: `loa serve`
// on 127.0.0.1:0 with the port read from its "listening on" line, stderr kept in a file, signals,
// and a bounded wait for its exit status.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace loa::test {

// A fresh temporary directory, removed with its contents at the end.
class temp_dir {
public:
    temp_dir();
    ~temp_dir();
    temp_dir(const temp_dir&) = delete;
    temp_dir& operator=(const temp_dir&) = delete;
    [[nodiscard]] const std::filesystem::path& path() const { return path_; }
    [[nodiscard]] std::filesystem::path file(const std::string& name) const { return path_ / name; }
    // Writes `text` to `name` in the directory and returns its path.
    std::filesystem::path write(const std::string& name, const std::string& text) const;

private:
    std::filesystem::path path_;
};

class loa_process {
public:
    // Starts `LOA_BINARY args...` with stdout on a pipe and stderr in `stderr_file`.
    loa_process(const std::vector<std::string>& args, const std::filesystem::path& stderr_file);
    // Kills the process if it still runs.
    ~loa_process();
    loa_process(const loa_process&) = delete;
    loa_process& operator=(const loa_process&) = delete;

    // Reads one stdout line (without '\n'); nullopt at EOF or after `timeout`.
    std::optional<std::string> read_line(std::chrono::milliseconds timeout = std::chrono::seconds(10));

    void signal(int signo) const;
    // The exit code once it exits (128 + signal when killed), or nullopt after `timeout`.
    std::optional<int> wait(std::chrono::milliseconds timeout);
    [[nodiscard]] bool running();
    [[nodiscard]] std::string stderr_text() const;

private:
    pid_t pid_ = -1;
    int stdout_fd_ = -1;
    std::string out_;
    std::filesystem::path stderr_file_;
    std::optional<int> status_;
};

// `loa serve --db DIR/loa.db --listen 127.0.0.1:0 --config DIR/server.yaml` with `config` written to
// that file; waits for the "loa: listening on http://127.0.0.1:PORT" line.
class served {
public:
    explicit served(const std::string& config_yaml, std::vector<std::string> extra_args = {});
    [[nodiscard]] unsigned short port() const { return port_; }
    [[nodiscard]] loa_process& process() { return *process_; }
    [[nodiscard]] const temp_dir& dir() const { return dir_; }
    [[nodiscard]] const std::string& listening_line() const { return line_; }

private:
    temp_dir dir_;
    std::optional<loa_process> process_;
    std::string line_;
    unsigned short port_ = 0;
};

// What a finished `loa` command gave.
struct run_result {
    int status = -1;  // exit code, or -1 when the process did not exit normally
    std::string out;
    std::string err;
};

// Runs `LOA_BINARY args...` to its end (no shell), stdout and stderr captured through files in `dir`.
run_result run_loa(const std::filesystem::path& dir, const std::vector<std::string>& args);

}  // namespace loa::test
