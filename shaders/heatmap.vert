#version 330 core
// A screen-aligned quad from gl_VertexID (no vertex buffer): uRect = (x0, y0, x1, y1)
// in normalised device coordinates, (x0, y0) the top-left corner.
// vUV runs from uUV.xy at the top-left to uUV.zw at the bottom-right (0,0 to 1,1: the
// whole texture; a sub-rectangle when a picture is zoomed), matching textures uploaded
// top row first.
uniform vec4 uRect;
uniform vec4 uUV;
out vec2 vUV;

void main() {
    vec2 corner = vec2(float(gl_VertexID & 1), float((gl_VertexID >> 1) & 1));
    vUV = mix(uUV.xy, uUV.zw, corner);
    gl_Position = vec4(mix(uRect.x, uRect.z, corner.x), mix(uRect.y, uRect.w, corner.y), 0.0, 1.0);
}
