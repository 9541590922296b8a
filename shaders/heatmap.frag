#version 330 core
// Heatmap colouring and overlay.
//   uMode 0: the heatmap, coloured through the lookup texture, blended over uImage
//   uMode 1: the coloured heatmap alone
//   uMode 2: the colour ramp itself (colorbar), t = u
// uHeat holds one float per patch (gh x gw). Patch-exact reads the patch's texel
// (texelFetch: hard patch borders, what the model computed); smooth lets the sampler
// interpolate between patch centres (display only).
in vec2 vUV;
out vec4 fragColor;

uniform sampler2D uImage;
uniform sampler2D uHeat;
uniform sampler2D uLut;     // 256 x 1, the same table core uses for exported PNGs
uniform int uMode;
uniform int uSmooth;
uniform float uOpacity;
uniform float uVmin;
uniform float uVmax;
uniform vec2 uHeatSize;

vec3 lut(float t) {
    // Texel centres: index round(t * 255), as core's colormap lookup.
    t = clamp(t, 0.0, 1.0);
    return texture(uLut, vec2((floor(t * 255.0 + 0.5) + 0.5) / 256.0, 0.5)).rgb;
}

float heat_value(vec2 uv) {
    if (uSmooth == 1) return texture(uHeat, uv).r;
    ivec2 size = ivec2(uHeatSize);
    ivec2 p = clamp(ivec2(floor(uv * uHeatSize)), ivec2(0), size - 1);
    return texelFetch(uHeat, p, 0).r;
}

void main() {
    if (uMode == 2) {
        fragColor = vec4(lut(vUV.x), 1.0);
        return;
    }
    float v = heat_value(vUV);
    float t = (v - uVmin) / max(uVmax - uVmin, 1e-30);
    vec3 c = lut(t);
    if (uMode == 0) {
        vec3 img = texture(uImage, vUV).rgb;
        c = mix(img, c, uOpacity);
    }
    fragColor = vec4(c, 1.0);
}
