#!/usr/bin/env bash
# Regenerate the sample video media under assets/ from ffmpeg lavfi sources.
#
#   scripts/make-sample-media.sh            # uses ffmpeg/ffprobe from PATH
#   FFMPEG=/usr/bin/ffmpeg scripts/make-sample-media.sh
#
# Produces (all from one lossless 8 s master, 1280x720, 25 fps):
#   assets/video/casier-judiciaire.mp4          H.264 main + AAC, faststart
#   assets/video/casier-judiciaire.webm         VP9 + Opus
#   assets/video/casier-judiciaire-poster.webp  first frame (JPEG fallback
#                                               if ffmpeg lacks libwebp)
#   assets/hls/casier-judiciaire/               HLS VOD, 640x360, fMP4
#                                               (index.m3u8, init.mp4, seg*.m4s)
#
# The SVG images and the WebVTT captions are hand-written and committed as-is;
# this script does not touch them. The picture uses shapes only (no drawtext,
# so no font is needed): a document whose lines are read one by one, a clock
# hand making three turns while three "day" pills light up (72 hours), then a
# red stamp; a progress bar runs along the bottom. Soft, quiet chord as audio.
set -euo pipefail

FFMPEG="${FFMPEG:-ffmpeg}"
command -v "$FFMPEG" >/dev/null 2>&1 || { echo "ffmpeg not found (set FFMPEG=...)" >&2; exit 1; }

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VIDEO_DIR="$ROOT/assets/video"
HLS_DIR="$ROOT/assets/hls/casier-judiciaire"
NAME="casier-judiciaire"
DURATION=8

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

ff() { "$FFMPEG" -hide_banner -loglevel error -nostdin -y "$@"; }
# Leave encoder/version strings out of the containers where ffmpeg allows it.
BITEXACT=(-map_metadata -1 -fflags +bitexact -flags:v +bitexact -flags:a +bitexact)

mkdir -p "$VIDEO_DIR" "$HLS_DIR"

# ---------------------------------------------------------------------------
# 1. Lossless master (FFV1 + PCM) built from lavfi sources.
# ---------------------------------------------------------------------------
cat >"$TMP/graph.txt" <<'GRAPH'
gradients=s=1280x720:r=25:d=8:seed=1:speed=0.00001:n=2:c0=0x0B6B44:c1=0x04331F:x0=0:y0=0:x1=1280:y1=720,
format=yuv420p,
drawbox=x=0:y=0:w=427:h=10:c=0x008751:t=fill,
drawbox=x=427:y=0:w=426:h=10:c=0xFCD116:t=fill,
drawbox=x=853:y=0:w=427:h=10:c=0xE8112D:t=fill,
drawbox=x=0:y=650:w=1280:h=70:c=0x04301F:t=fill,
drawbox=x=785:y=505:w=70:h=22:c=0x2E6B52:t=fill,
drawbox=x=865:y=505:w=70:h=22:c=0x2E6B52:t=fill,
drawbox=x=945:y=505:w=70:h=22:c=0x2E6B52:t=fill,
drawbox=x=785:y=505:w=70:h=22:c=0xFCD116:t=fill:enable='gte(t,2)',
drawbox=x=865:y=505:w=70:h=22:c=0xFCD116:t=fill:enable='gte(t,4)',
drawbox=x=945:y=505:w=70:h=22:c=0xFCD116:t=fill:enable='gte(t,6)'
[bg];

color=c=black@0:s=440x440:r=25:d=8,format=rgba,
geq=r=255:g=255:b=255:a='20*clip(220-hypot(X-219.5,Y-219.5),0,1)'
[blob1];
color=c=black@0:s=300x300:r=25:d=8,format=rgba,
geq=r=255:g=255:b=255:a='14*clip(150-hypot(X-149.5,Y-149.5),0,1)'
[blob2];
[bg][blob1]overlay=x='930+40*sin(t*0.7)':y='-150+30*cos(t*0.5)':eval=frame[v1];
[v1][blob2]overlay=x='-90+30*sin(t*0.9)':y='470+20*cos(t*0.6)':eval=frame[v2];

color=c=white:s=380x470:r=25:d=8,
drawbox=x=0:y=0:w=380:h=70:c=0x008751:t=fill,
drawbox=x=24:y=22:w=26:h=26:c=0xFCD116:t=fill,
drawbox=x=66:y=28:w=180:h=14:c=0xFFFFFF@0.85:t=fill,
drawbox=x=30:y=110:w=320:h=14:c=0xB8C2CC:t=fill,
drawbox=x=30:y=145:w=280:h=14:c=0xB8C2CC:t=fill,
drawbox=x=30:y=180:w=300:h=14:c=0xB8C2CC:t=fill,
drawbox=x=30:y=215:w=200:h=14:c=0xB8C2CC:t=fill,
drawbox=x=30:y=250:w=320:h=14:c=0xB8C2CC:t=fill,
drawbox=x=30:y=285:w=240:h=14:c=0xB8C2CC:t=fill,
drawbox=x=30:y=380:w=90:h=60:c=0x3D4A5C:t=fill,
drawbox=x=200:y=436:w=150:h=4:c=0xB8C2CC:t=fill
[card0];
color=c=black@0:s=340x28:r=25:d=8,format=rgba,geq=r=252:g=209:b=22:a=110[hl];
[card0][hl]overlay=x=20:y='103+35*floor(t/0.6)':eval=frame:enable='lt(t,3.6)'[card1];
color=c=black@0:s=170x170:r=25:d=8,format=rgba,
geq=r=232:g=17:b=45:a='255*max(clip(7.5-abs(hypot(X-84.5,Y-84.5)-76),0,1),max(clip(3-abs(hypot(X-84.5,Y-84.5)-58),0,1),clip(24-hypot(X-84.5,Y-84.5),0,1)))',
fade=t=in:st=5.6:d=0.3:alpha=1
[stamp];
[card1][stamp]overlay=x=190:y=280[card];
color=c=black@0.35:s=380x470:r=25:d=8,format=rgba[shadow];
[v2][shadow]overlay=x=184:y=134[v3];
[v3][card]overlay=x=170:y=120[v4];

color=c=black@0:s=300x300:r=25:d=8,format=rgba,
geq=r=255:g=255:b=255:a='255*max(max(clip(7.5-abs(hypot(X-149.5,Y-149.5)-130),0,1),0.14*clip(123-hypot(X-149.5,Y-149.5),0,1)),between(X,145,154)*(between(Y,30,50)+between(Y,249,269))+between(Y,145,154)*(between(X,30,50)+between(X,249,269)))'
[dial];
color=c=black@0:s=300x300:r=25:d=8,format=rgba,
geq=r=252:g=209:b=22:a='255*max(between(X,143,156)*between(Y,52,150),clip(16-hypot(X-149.5,Y-149.5),0,1))',
rotate=a='2*PI*3*min(t,6)/6':c=none:ow=300:oh=300
[hand];
[v4][dial]overlay=x=750:y=150[v5];
[v5][hand]overlay=x=750:y=150[v6];

color=c=0x1D5A40:s=1120x10:r=25:d=8[track];
color=c=0xFCD116:s=1120x10:r=25:d=8[fill];
[track][fill]overlay=x='-1120+1120*t/8':eval=frame[progress];
[v6][progress]overlay=x=80:y=680,format=yuv420p[vout];

aevalsrc=exprs='(0.030*sin(2*PI*220*t)+0.020*sin(2*PI*330*t)+0.012*sin(2*PI*440*t))*(0.8+0.2*sin(2*PI*0.25*t))':s=48000:d=8:c=stereo,
afade=t=in:d=0.4,afade=t=out:st=7.4:d=0.6
[aout]
GRAPH

echo "· master"
ff -filter_complex_script "$TMP/graph.txt" -map '[vout]' -map '[aout]' -t "$DURATION" \
  -c:v ffv1 -c:a pcm_s16le "$TMP/master.mkv"
MASTER="$TMP/master.mkv"

# ---------------------------------------------------------------------------
# 2. MP4: H.264 main profile, yuv420p, AAC, moov atom first.
# ---------------------------------------------------------------------------
echo "· $NAME.mp4"
ff -i "$MASTER" -map 0:v -map 0:a \
  -c:v libx264 -profile:v main -preset slow -crf 30 -pix_fmt yuv420p -r 25 -g 50 -keyint_min 25 \
  -c:a aac -b:a 64k -ac 2 -ar 48000 \
  -movflags +faststart "${BITEXACT[@]}" "$VIDEO_DIR/$NAME.mp4"

# ---------------------------------------------------------------------------
# 3. WebM: VP9 (yuv420p, constant quality) + Opus.
# ---------------------------------------------------------------------------
echo "· $NAME.webm"
ff -i "$MASTER" -map 0:v -map 0:a \
  -c:v libvpx-vp9 -pix_fmt yuv420p -crf 40 -b:v 0 -deadline good -cpu-used 2 -row-mt 1 -g 50 -r 25 \
  -c:a libopus -b:a 48k -ac 2 -ar 48000 \
  "${BITEXACT[@]}" "$VIDEO_DIR/$NAME.webm"

# ---------------------------------------------------------------------------
# 4. Poster: first frame, WebP (JPEG if this ffmpeg has no libwebp).
# ---------------------------------------------------------------------------
rm -f "$VIDEO_DIR/$NAME-poster.webp" "$VIDEO_DIR/$NAME-poster.jpg"
ENCODERS="$("$FFMPEG" -hide_banner -encoders 2>/dev/null || true)"
if grep -qE '^ V\S* libwebp ' <<<"$ENCODERS"; then
  echo "· $NAME-poster.webp"
  ff -i "$MASTER" -map 0:v -frames:v 1 -c:v libwebp -quality 82 -compression_level 6 \
    "${BITEXACT[@]}" "$VIDEO_DIR/$NAME-poster.webp"
else
  echo "· $NAME-poster.jpg (ffmpeg has no libwebp encoder)" >&2
  ff -i "$MASTER" -map 0:v -frames:v 1 -q:v 4 "${BITEXACT[@]}" "$VIDEO_DIR/$NAME-poster.jpg"
fi

# ---------------------------------------------------------------------------
# 5. HLS VOD, 640x360, fMP4 segments (.m4s, never .ts), 2 s per segment,
#    a keyframe every second so every segment starts on one.
# ---------------------------------------------------------------------------
echo "· hls/$NAME/"
rm -f "$HLS_DIR"/index.m3u8 "$HLS_DIR"/init.mp4 "$HLS_DIR"/seg*.m4s
(
  cd "$HLS_DIR"
  ff -i "$MASTER" -map 0:v -map 0:a \
    -vf scale=640:360:flags=lanczos \
    -c:v libx264 -profile:v main -preset slow -crf 30 -maxrate 400k -bufsize 800k -pix_fmt yuv420p -r 25 \
    -g 25 -keyint_min 25 -sc_threshold 0 \
    -c:a aac -b:a 64k -ac 2 -ar 48000 \
    "${BITEXACT[@]}" \
    -f hls -hls_time 2 -hls_playlist_type vod -hls_flags independent_segments \
    -hls_segment_type fmp4 -hls_fmp4_init_filename init.mp4 \
    -hls_segment_filename 'seg%03d.m4s' index.m3u8
)

echo "done:"
( cd "$ROOT" && ls -l assets/video/"$NAME"* assets/hls/"$NAME"/ )
