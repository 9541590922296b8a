#version 330 core
// Kernel glyph: a k x k weight grid drawn as cells, each filled with the weight's colour
// from a diverging lookup table symmetric about zero (uVmin = -m, uVmax = +m), separated
// by thin borders so single weights stay distinguishable at any magnification.
in vec2 vUV;
out vec4 fragColor;

uniform sampler2D uHeat;    // k x k weights (R32F), top row first
uniform sampler2D uLut;     // diverging 256 x 1
uniform vec2 uHeatSize;     // (k, k)
uniform float uVmin;
uniform float uVmax;
uniform vec2 uBorder;       // border width as a fraction of a cell (x, y)
uniform vec4 uBorderColor;

void main() {
    vec2 g = vUV * uHeatSize;
    ivec2 size = ivec2(uHeatSize);
    ivec2 cell = clamp(ivec2(floor(g)), ivec2(0), size - 1);
    vec2 f = g - vec2(cell);
    float v = texelFetch(uHeat, cell, 0).r;
    float t = clamp((v - uVmin) / max(uVmax - uVmin, 1e-30), 0.0, 1.0);
    vec3 c = texture(uLut, vec2((floor(t * 255.0 + 0.5) + 0.5) / 256.0, 0.5)).rgb;
    bool edge = f.x < uBorder.x || f.y < uBorder.y || f.x > 1.0 - uBorder.x || f.y > 1.0 - uBorder.y;
    fragColor = edge ? uBorderColor : vec4(c, 1.0);
}
