#pragma once
// Decoding a phone photo takes most of a second: images opened from the UI (Ctrl+O,
// drop, recent files, image B) load on this thread so the window keeps drawing. Loads
// run one at a time in the order asked (a drop of two files gives A, then B); the UI
// takes each finished load and swaps it in (actions.cpp).
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "image/image.h"

namespace ks::gui {

struct ImageLoad {
    std::string path;
    bool second = false;                  // image B
    std::shared_ptr<const Image> image;   // null on failure
    std::string error;                    // one sentence, from load_image
};

class ImageLoader {
public:
    ImageLoader();
    ~ImageLoader();   // waits for a running load (load_image cannot be interrupted)
    ImageLoader(const ImageLoader&) = delete;
    ImageLoader& operator=(const ImageLoader&) = delete;

    void start(const std::string& path, bool second);
    std::optional<ImageLoad> take();   // the oldest finished load, if any
    bool busy() const;                 // a load is queued, running, or finished but not taken

private:
    void loop();

    mutable std::mutex mu_;
    std::condition_variable cv_;
    std::deque<ImageLoad> queued_, done_;
    bool working_ = false;
    bool quit_ = false;
    std::thread thread_;
};

}  // namespace ks::gui
