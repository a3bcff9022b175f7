// The output contract shared by the conformance runners: one line per case, then
// "N passed, M failed"; exit code 0 when nothing failed, 1 otherwise.
#pragma once

#include <ostream>
#include <string>

namespace cl::app {

class CaseReport {
  public:
    explicit CaseReport(std::ostream& out) : out_(out) {}

    // `note` (optional) is shown in parentheses after a passing case.
    void pass(const std::string& label, const std::string& note = {}) {
        ++passed_;
        out_ << "ok    " << label << (note.empty() ? "" : " (" + note + ")") << "\n";
    }
    void fail(const std::string& label, const std::string& problem) {
        ++failed_;
        out_ << "FAIL  " << label << ": " << problem << "\n";
    }
    // Prints the closing line and returns the exit code.
    int finish() {
        out_ << passed_ << " passed, " << failed_ << " failed\n";
        return failed_ == 0 ? 0 : 1;
    }

  private:
    std::ostream& out_;
    int passed_ = 0;
    int failed_ = 0;
};

}  // namespace cl::app
