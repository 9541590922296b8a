#pragma once
// Names for a classifier's outputs, e.g. ImageNet-1k's 1000 classes (the app ships
// assets/imagenet_classes.txt, see assets/SOURCES.md). A names list is optional wherever
// logits are shown: when it is missing, malformed, or not of the classifier's length, the
// class indices are shown alone, so a bad list can never stop a render.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace ks {

using ClassNames = std::vector<std::string>;

constexpr uint64_t kMaxClassNamesFileBytes = 1ull << 20;   // 1 MiB: ImageNet-1k's list is 10 KB
constexpr size_t kMaxClassNameBytes = 256;

// One name a line (LF or CRLF; the last line may lack its newline), line i naming class i.
// Throws InputError with one sentence when the file is unreadable or malformed: an empty
// line, a control character or invalid UTF-8, a name longer than kMaxClassNameBytes.
ClassNames read_class_names(const std::string& path);
// The same, never throwing: an empty list (and the sentence in *why) on any problem.
ClassNames load_class_names(const std::string& path, std::string* why = nullptr);

// The name of each (class, logit) of `top`, from `names` when it has exactly `num_classes`
// entries (the list belongs to this classifier), else "" for each.
std::vector<std::string> top_logit_names(const std::vector<std::pair<int, float>>& top, size_t num_classes,
                                         const ClassNames& names);

}  // namespace ks
