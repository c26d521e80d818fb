;; PNG row unfiltering and the grey box reduction, the two byte loops of a PNG decode for a digit model.
;; Plain JavaScript runs them at ~3 ns per byte on the 2-core dev machine (6–7 ms for a 512×512 RGB PNG);
;; here the Up filter — most rows of a typical PNG — is 16 bytes per SIMD add and the rest is scalar code
;; without bounds checks. Compiled by scripts/build-wasm.mjs (wabt) into pngKernels.generated.ts; the
;; JavaScript twins in src/vision/pngFast.ts and grayReduce.ts are the reference the unit tests hold this to.
;;
;; Memory is owned by the caller (src/vision/pngWasmKernels.ts), which grows it and lays out the buffers.
(module
  (memory (export "memory") 1)

;; Unfilters `height` rows of `stride` bytes (each preceded by its filter byte) from `raw` into `out`.
  ;; The `stride` bytes just before `out` must be zeros (the "row above" of the first row), and 16 bytes
  ;; after the last row must be writable: Sub, Average and Paeth work one pixel (bpp ≤ 4 bytes) per step
  ;; in vector lanes — the left pixel stays in a register instead of going through memory — and store 4
  ;; bytes, the extra ones being overwritten by the next pixel. Up is 16 bytes per SIMD add.
  ;; Returns 0, or 1 + the index of the first row with an unknown filter type.
  (func (export "unfilter")
    (param $raw i32) (param $out i32) (param $height i32) (param $stride i32) (param $bpp i32) (result i32)
    (local $y i32) (local $src i32) (local $dst i32) (local $up i32) (local $i i32) (local $filter i32)
    (local $simdEnd i32)
    (local $a v128) (local $b v128) (local $c v128) (local $a16 v128) (local $b16 v128) (local $c16 v128)
    (local $pa v128) (local $pb v128) (local $pc v128)
    (local.set $src (local.get $raw))
    (local.set $dst (local.get $out))
    (local.set $simdEnd (i32.and (local.get $stride) (i32.const -16)))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $y) (local.get $height)))
        (local.set $filter (i32.load8_u (local.get $src)))
        (local.set $src (i32.add (local.get $src) (i32.const 1)))
        (local.set $up (i32.sub (local.get $dst) (local.get $stride)))
        (local.set $i (i32.const 0))
        (local.set $a (v128.const i32x4 0 0 0 0))
        (local.set $c (v128.const i32x4 0 0 0 0))
        (block $row_done
          (block $paeth
            (block $avg
              (block $upf
                (block $sub
                  (block $none
                    (br_table $none $sub $upf $avg $paeth
                      (if (result i32) (i32.gt_u (local.get $filter) (i32.const 4))
                        (then (return (i32.add (local.get $y) (i32.const 1))))
                        (else (local.get $filter)))))
                  ;; None
                  (memory.copy (local.get $dst) (local.get $src) (local.get $stride))
                  (br $row_done))
                ;; Sub: raw + left
                (block $d (loop $l
                  (br_if $d (i32.ge_u (local.get $i) (local.get $stride)))
                  (local.set $a (i8x16.add (v128.load32_zero (i32.add (local.get $src) (local.get $i))) (local.get $a)))
                  (v128.store32_lane 0 (i32.add (local.get $dst) (local.get $i)) (local.get $a))
                  (local.set $i (i32.add (local.get $i) (local.get $bpp)))
                  (br $l)))
                (br $row_done))
              ;; Up: raw + above, 16 bytes at a time
              (block $d (loop $l
                (br_if $d (i32.ge_u (local.get $i) (local.get $simdEnd)))
                (v128.store (i32.add (local.get $dst) (local.get $i))
                  (i8x16.add (v128.load (i32.add (local.get $src) (local.get $i)))
                             (v128.load (i32.add (local.get $up) (local.get $i)))))
                (local.set $i (i32.add (local.get $i) (i32.const 16)))
                (br $l)))
              (block $d (loop $l
                (br_if $d (i32.ge_u (local.get $i) (local.get $stride)))
                (i32.store8 (i32.add (local.get $dst) (local.get $i))
                  (i32.add (i32.load8_u (i32.add (local.get $src) (local.get $i)))
                           (i32.load8_u (i32.add (local.get $up) (local.get $i)))))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br $l)))
              (br $row_done))
            ;; Average: raw + floor((left + above) / 2), in 16-bit lanes so the sum cannot wrap
            (block $d (loop $l
              (br_if $d (i32.ge_u (local.get $i) (local.get $stride)))
              (local.set $b (v128.load32_zero (i32.add (local.get $up) (local.get $i))))
              (local.set $a
                (i8x16.add (v128.load32_zero (i32.add (local.get $src) (local.get $i)))
                  (i8x16.narrow_i16x8_u
                    (i16x8.shr_u
                      (i16x8.add (i16x8.extend_low_i8x16_u (local.get $a)) (i16x8.extend_low_i8x16_u (local.get $b)))
                      (i32.const 1))
                    (local.get $a))))
              (v128.store32_lane 0 (i32.add (local.get $dst) (local.get $i)) (local.get $a))
              (local.set $i (i32.add (local.get $i) (local.get $bpp)))
              (br $l)))
            (br $row_done))
          ;; Paeth: raw + whichever of left (a), above (b), upper-left (c) is closest to a + b − c;
          ;; ties prefer a, then b (PNG spec §9.4).
          (block $d (loop $l
            (br_if $d (i32.ge_u (local.get $i) (local.get $stride)))
            (local.set $b (v128.load32_zero (i32.add (local.get $up) (local.get $i))))
            (local.set $a16 (i16x8.extend_low_i8x16_u (local.get $a)))
            (local.set $b16 (i16x8.extend_low_i8x16_u (local.get $b)))
            (local.set $c16 (i16x8.extend_low_i8x16_u (local.get $c)))
            (local.set $pa (i16x8.sub (local.get $b16) (local.get $c16)))
            (local.set $pb (i16x8.sub (local.get $a16) (local.get $c16)))
            (local.set $pc (i16x8.abs (i16x8.add (local.get $pa) (local.get $pb))))
            (local.set $pa (i16x8.abs (local.get $pa)))
            (local.set $pb (i16x8.abs (local.get $pb)))
            (local.set $a
              (i8x16.add (v128.load32_zero (i32.add (local.get $src) (local.get $i)))
                (i8x16.narrow_i16x8_u
                  (v128.bitselect
                    (local.get $a16)
                    (v128.bitselect (local.get $b16) (local.get $c16) (i16x8.le_s (local.get $pb) (local.get $pc)))
                    (v128.and (i16x8.le_s (local.get $pa) (local.get $pb)) (i16x8.le_s (local.get $pa) (local.get $pc))))
                  (local.get $a16))))
            (v128.store32_lane 0 (i32.add (local.get $dst) (local.get $i)) (local.get $a))
            (local.set $c (local.get $b))
            (local.set $i (i32.add (local.get $i) (local.get $bpp)))
            (br $l))))
        (local.set $src (i32.add (local.get $src) (local.get $stride)))
        (local.set $dst (i32.add (local.get $dst) (local.get $stride)))
        (local.set $y (i32.add (local.get $y) (i32.const 1)))
        (br $rows)))
    (i32.const 0))

  ;; Adds `height` rows of `width` pixels at `pix` (layout: 1 grey, 2 grey+alpha, 3 RGB, 4 RGBA; rows are
  ;; packed) into the f64 block sums at `sum` (outWidth per row; source row y goes to block row y / factor,
  ;; source column x to block column x / factor). Each pixel adds its grey value (BT.601 luma, composited
  ;; over white) times 255 000, an exact integer — see src/vision/grayReduce.ts, the reference this
  ;; kernel matches bit for bit. A run of `factor` pixels is summed in i64, then added to its block.
  ;;
  ;; Grey and RGB are linear in the bytes, and a full run is `factor · layout` contiguous bytes whose
  ;; channel pattern is the same for every run: its sum is a dot product of the bytes with a fixed weight
  ;; table (`weights`: i16, 299/587/114 repeating for RGB, 1 for grey, zero-padded to `chunks` × 16 bytes),
  ;; times 255 (RGB) or 255 000 (grey) — 16 bytes per step with i32x4.dot_i16x8_s. Same integers as the
  ;; per-pixel formula. Partial runs at the right edge, and the alpha layouts, take the scalar loops.
  (func (export "grayReduce")
    (param $pix i32) (param $width i32) (param $height i32) (param $layout i32) (param $factor i32)
    (param $sum i32) (param $outWidth i32) (param $weights i32) (param $chunks i32)
    (local $y i32) (local $x i32) (local $end i32) (local $p i32) (local $slot i32) (local $run i64)
    (local $linear i32) (local $post i64) (local $runBytes i32) (local $j i32) (local $q i32) (local $w i32)
    (local $acc v128) (local $bytes v128)
    (local.set $p (local.get $pix))
    (local.set $linear (i32.or (i32.eq (local.get $layout) (i32.const 1)) (i32.eq (local.get $layout) (i32.const 3))))
    (local.set $post (select (i64.const 255000) (i64.const 255) (i32.eq (local.get $layout) (i32.const 1))))
    (local.set $runBytes (i32.mul (local.get $factor) (local.get $layout)))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $y) (local.get $height)))
        (local.set $slot
          (i32.add (local.get $sum)
            (i32.shl (i32.mul (i32.div_u (local.get $y) (local.get $factor)) (local.get $outWidth)) (i32.const 3))))
        (local.set $x (i32.const 0))
        (block $blocks_done
          (loop $blocks
            (br_if $blocks_done (i32.ge_u (local.get $x) (local.get $width)))
            (local.set $end (i32.add (local.get $x) (local.get $factor)))
            (if (i32.gt_u (local.get $end) (local.get $width)) (then (local.set $end (local.get $width))))
            (local.set $run (i64.const 0))
            (block $run_done
              ;; A full run of a linear layout: the vector dot product.
              (if (i32.and (local.get $linear) (i32.eq (i32.sub (local.get $end) (local.get $x)) (local.get $factor)))
                (then
                  (local.set $acc (v128.const i32x4 0 0 0 0))
                  (local.set $j (i32.const 0))
                  (local.set $q (local.get $p))
                  (local.set $w (local.get $weights))
                  (block $d (loop $l
                    (br_if $d (i32.ge_u (local.get $j) (local.get $chunks)))
                    (local.set $bytes (v128.load (local.get $q)))
                    (local.set $acc
                      (i32x4.add (local.get $acc)
                        (i32x4.add
                          (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_u (local.get $bytes)) (v128.load (local.get $w)))
                          (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_u (local.get $bytes)) (v128.load offset=16 (local.get $w))))))
                    (local.set $q (i32.add (local.get $q) (i32.const 16)))
                    (local.set $w (i32.add (local.get $w) (i32.const 32)))
                    (local.set $j (i32.add (local.get $j) (i32.const 1)))
                    (br $l)))
                  (local.set $run
                    (i64.mul (local.get $post)
                      (i64.extend_i32_u
                        (i32.add
                          (i32.add (i32x4.extract_lane 0 (local.get $acc)) (i32x4.extract_lane 1 (local.get $acc)))
                          (i32.add (i32x4.extract_lane 2 (local.get $acc)) (i32x4.extract_lane 3 (local.get $acc)))))))
                  (local.set $p (i32.add (local.get $p) (local.get $runBytes)))
                  (local.set $x (local.get $end))
                  (br $run_done)))
              (block $rgba
                (block $rgb
                  (block $grey_alpha
                    (block $grey
                      (br_table $grey $grey $grey_alpha $rgb $rgba (local.get $layout)))
                    ;; grey · 255 000
                    (block $d (loop $l
                      (br_if $d (i32.ge_u (local.get $x) (local.get $end)))
                      (local.set $run (i64.add (local.get $run)
                        (i64.extend_i32_u (i32.mul (i32.load8_u (local.get $p)) (i32.const 255000)))))
                      (local.set $p (i32.add (local.get $p) (i32.const 1)))
                      (local.set $x (i32.add (local.get $x) (i32.const 1)))
                      (br $l)))
                    (br $run_done))
                  ;; 255·255 000 + alpha·(grey·1000 − 255 000)
                  (block $d (loop $l
                    (br_if $d (i32.ge_u (local.get $x) (local.get $end)))
                    (local.set $run (i64.add (local.get $run)
                      (i64.extend_i32_u
                        (i32.add (i32.const 65025000)
                          (i32.mul (i32.load8_u offset=1 (local.get $p))
                            (i32.sub (i32.mul (i32.load8_u (local.get $p)) (i32.const 1000)) (i32.const 255000)))))))
                    (local.set $p (i32.add (local.get $p) (i32.const 2)))
                    (local.set $x (i32.add (local.get $x) (i32.const 1)))
                    (br $l)))
                  (br $run_done))
                ;; (299·R + 587·G + 114·B) · 255
                (block $d (loop $l
                  (br_if $d (i32.ge_u (local.get $x) (local.get $end)))
                  (local.set $run (i64.add (local.get $run)
                    (i64.extend_i32_u
                      (i32.mul (i32.const 255)
                        (i32.add
                          (i32.add (i32.mul (i32.load8_u (local.get $p)) (i32.const 299))
                                   (i32.mul (i32.load8_u offset=1 (local.get $p)) (i32.const 587)))
                          (i32.mul (i32.load8_u offset=2 (local.get $p)) (i32.const 114)))))))
                  (local.set $p (i32.add (local.get $p) (i32.const 3)))
                  (local.set $x (i32.add (local.get $x) (i32.const 1)))
                  (br $l)))
                (br $run_done))
              ;; 255·255 000 + alpha·(299·R + 587·G + 114·B − 255 000)
              (block $d (loop $l
                (br_if $d (i32.ge_u (local.get $x) (local.get $end)))
                (local.set $run (i64.add (local.get $run)
                  (i64.extend_i32_u
                    (i32.add (i32.const 65025000)
                      (i32.mul (i32.load8_u offset=3 (local.get $p))
                        (i32.sub
                          (i32.add
                            (i32.add (i32.mul (i32.load8_u (local.get $p)) (i32.const 299))
                                     (i32.mul (i32.load8_u offset=1 (local.get $p)) (i32.const 587)))
                            (i32.mul (i32.load8_u offset=2 (local.get $p)) (i32.const 114)))
                          (i32.const 255000)))))))
                (local.set $p (i32.add (local.get $p) (i32.const 4)))
                (local.set $x (i32.add (local.get $x) (i32.const 1)))
                (br $l))))
            (f64.store (local.get $slot)
              (f64.add (f64.load (local.get $slot)) (f64.convert_i64_u (local.get $run))))
            (local.set $slot (i32.add (local.get $slot) (i32.const 8)))
            (br $blocks)))
        (local.set $y (i32.add (local.get $y) (i32.const 1)))
        (br $rows))))

  ;; Block means from the sums grayReduce left: mean = f32(sum / (255 000 · rows · columns)), blocks on the
  ;; right and bottom edges partial — the same f64 operations as GrayBoxReducer.finish in grayReduce.ts.
  (func (export "blockMeans")
    (param $sum i32) (param $means i32) (param $width i32) (param $height i32) (param $factor i32)
    (param $outWidth i32) (param $outHeight i32)
    (local $oy i32) (local $ox i32) (local $rows f64) (local $cols i32) (local $s i32) (local $m i32)
    (local.set $s (local.get $sum))
    (local.set $m (local.get $means))
    (block $rows_done
      (loop $row
        (br_if $rows_done (i32.ge_u (local.get $oy) (local.get $outHeight)))
        ;; rows = min(factor, height − oy·factor)
        (local.set $rows (f64.convert_i32_u
          (select (local.get $factor) (i32.sub (local.get $height) (i32.mul (local.get $oy) (local.get $factor)))
            (i32.le_u (local.get $factor) (i32.sub (local.get $height) (i32.mul (local.get $oy) (local.get $factor)))))))
        (local.set $ox (i32.const 0))
        (block $d (loop $l
          (br_if $d (i32.ge_u (local.get $ox) (local.get $outWidth)))
          (local.set $cols
            (select (local.get $factor) (i32.sub (local.get $width) (i32.mul (local.get $ox) (local.get $factor)))
              (i32.le_u (local.get $factor) (i32.sub (local.get $width) (i32.mul (local.get $ox) (local.get $factor))))))
          (f32.store (local.get $m)
            (f32.demote_f64
              (f64.div (f64.load (local.get $s))
                (f64.mul (f64.mul (f64.const 255000) (local.get $rows)) (f64.convert_i32_u (local.get $cols))))))
          (local.set $s (i32.add (local.get $s) (i32.const 8)))
          (local.set $m (i32.add (local.get $m) (i32.const 4)))
          (local.set $ox (i32.add (local.get $ox) (i32.const 1)))
          (br $l)))
        (local.set $oy (i32.add (local.get $oy) (i32.const 1)))
        (br $row))))
)
