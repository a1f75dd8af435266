Feature: Invalid worksheets are rejected with every problem located
  A worksheet (YAML, JSON or CSV) is checked against its instrument before
  anything is scored. Each problem names the file, the line and the field
  or row; all problems are reported at once. Messages are in Bahasa
  Indonesia unless English is chosen. {dir} is the worksheet's folder.

  Scenario: unknown criterion, answers not allowed for their type, a bad evidence count
    Given a worksheet file "ws.yaml":
      """
      instrument: pmprb-2014
      answers:
        MP.1.a: D
        MP.2.a: Mungkin
        XX.9.z: A
        MP.3.a: b
      evidence:
        MP.3.a: -1
      """
    When the worksheet "ws.yaml" is loaded
    Then loading fails with exactly these errors:
      | error                                                                                          |
      | {dir}/ws.yaml:3: answers.MP.1.a: jawaban 'D' tidak diizinkan untuk MP.1.a (A/B/C); pilihan: A, B, C |
      | {dir}/ws.yaml:4: answers.MP.2.a: jawaban 'Mungkin' tidak diizinkan untuk MP.2.a (Y/T); pilihan: Ya, Tidak |
      | {dir}/ws.yaml:5: answers.XX.9.z: kriteria tidak dikenal 'XX.9.z' pada instrumen pmprb-2014          |
      | {dir}/ws.yaml:8: evidence.MP.3.a: jumlah bukti dukung harus bilangan bulat >= 0, bukan -1           |
    And the error summary is "{dir}/ws.yaml: lembar kerja tidak valid (4 kesalahan)"

  Scenario: Hasil values out of range, not numbers, unknown BPK category, unknown Hasil input
    Given a worksheet file "ws.yaml":
      """
      instrument: pmprb-2014
      answers: {MP.1.a: A}
      hasil:
        H.1.a: 100.5
        H.1.b: lima
        H.2.b: WTP dengan catatan
        H.3.a: -1
        H.4.a: 3
      """
    When the worksheet "ws.yaml" is loaded
    Then loading fails with exactly these errors:
      | error                                                                                                                               |
      | {dir}/ws.yaml:4: hasil.H.1.a: Hasil H.1.a (Nilai Akuntabilitas Kinerja (SAKIP)): 100.5 di luar rentang 0..100                        |
      | {dir}/ws.yaml:5: hasil.H.1.b: Hasil H.1.b (Nilai Kapasitas Organisasi (survei internal)): harus berupa angka 0..5, bukan 'lima'       |
      | {dir}/ws.yaml:6: hasil.H.2.b: Hasil H.2.b (Opini BPK): kategori tidak dikenal 'WTP dengan catatan'; pilihan: WTP, WTP-DPP, WDP, TMP, TW, TANPA-LK |
      | {dir}/ws.yaml:7: hasil.H.3.a: Hasil H.3.a (Nilai Persepsi Kualitas Pelayanan (survei eksternal)): -1 di luar rentang 0..4             |
      | {dir}/ws.yaml:8: hasil.H.4.a: masukan Hasil tidak dikenal 'H.4.a' (yang diharapkan: H.1.a, H.1.b, H.2.a, H.2.b, H.3.a)               |

  Scenario: the same problems in English
    Given the language is English
    And a worksheet file "ws.json":
      """
      {"instrument": "pmprb-2014",
       "answers": {"MP.1.a": "E", "ZZ.1": "A"},
       "hasil": {"H.2.b": "unqualified"}}
      """
    When the worksheet "ws.json" is loaded
    Then loading fails with exactly these errors:
      | error                                                                                                                 |
      | {dir}/ws.json:2: answers.MP.1.a: answer 'E' is not allowed for MP.1.a (A/B/C); allowed: A, B, C                         |
      | {dir}/ws.json:2: answers.ZZ.1: unknown criterion 'ZZ.1' in instrument pmprb-2014                                       |
      | {dir}/ws.json:3: hasil.H.2.b: Hasil H.2.b (Opini BPK): unknown category 'unqualified'; expected one of WTP, WTP-DPP, WDP, TMP, TW, TANPA-LK |
    And the error summary is "{dir}/ws.json: worksheet is invalid (3 errors)"

  Scenario: unknown and missing keys, and an unknown instrument
    Given a worksheet file "ws.yaml":
      """
      instrument: pmprb-2099
      jawaban: {MP.1.a: A}
      """
    When the worksheet "ws.yaml" is loaded
    Then loading fails with exactly these errors:
      | error                                                                                         |
      | {dir}/ws.yaml:1: kunci wajib 'answers' tidak ada                                                |
      | {dir}/ws.yaml:1: instrument: instrumen tidak dikenal 'pmprb-2099' (tersedia: pmprb-2014, rb-2023-kabkota, rb-2023-kl, rb-2023-provinsi, zi-2021) |
      | {dir}/ws.yaml:2: jawaban: kunci tidak dikenal 'jawaban' (yang diizinkan: instrument, period, answers, evidence, hasil, applicable_weight, published) |

  Scenario: a CSV worksheet names the row of each problem
    Given a worksheet file "ws.csv":
      """
      criterion,answer,evidence
      MP.1.a,a,2
      MP.1.b,Z,1
      MP.1.a,B,1
      MP.9.z,A,
      MP.1.c,B,dua
      H.2.b,WTP,1
      H.1.a,101,
      MP.2.a,Ya
      """
    When the worksheet "ws.csv" is loaded
    Then loading fails with exactly these errors:
      | error                                                                                                   |
      | {dir}/ws.csv:3: MP.1.b: jawaban 'Z' tidak diizinkan untuk MP.1.b (A/B/C/D); pilihan: A, B, C, D          |
      | {dir}/ws.csv:4: MP.1.a: MP.1.a muncul lebih dari sekali (pertama di baris 2)                              |
      | {dir}/ws.csv:5: MP.9.z: kriteria tidak dikenal 'MP.9.z' pada instrumen pmprb-2014                         |
      | {dir}/ws.csv:6: MP.1.c: bukti dukung harus berupa jumlah dokumen atau rujukan dokumen yang terbaca (mis. “Keputusan Wali Kota Nomor 061/17/2015 tentang …”), bukan 'dua' |
      | {dir}/ws.csv:7: H.2.b: baris Hasil tidak memakai kolom evidence                                           |
      | {dir}/ws.csv:8: H.1.a: Hasil H.1.a (Nilai Akuntabilitas Kinerja (SAKIP)): 101 di luar rentang 0..100      |
      | {dir}/ws.csv:9: baris berisi 2 sel, baris judul 3                                                         |

  Scenario: a CSV worksheet with Hasil rows and Excel's semicolons is accepted and normalised
    Given a worksheet file "ws.csv":
      """
      criterion;answer;evidence
      MP.1.a;a;2
      MP.2.a;ya;1
      MP.3.a;;
      H.1.a;70,05;
      H.2.b;wtp;
      """
    When the worksheet "ws.csv" is loaded
    Then the worksheet is accepted with 2 answers
    And MP.1.a is recorded as "A"
    And MP.2.a is recorded as "Ya"

  Scenario: a file that cannot be read
    When the worksheet "missing.yaml" is loaded
    Then the error summary is "{dir}/missing.yaml: berkas tidak dapat dibaca: berkas atau folder tidak ada"

  Scenario: a YAML syntax error names its line
    Given a worksheet file "ws.yaml":
      """
      instrument: pmprb-2014
      answers: {MP.1.a: A
      evidence: {}
      """
    When the worksheet "ws.yaml" is loaded
    Then loading fails with exactly these errors:
      | error                                                                           |
      | {dir}/ws.yaml:3: sintaks YAML tidak valid: periksa tanda baca dan indentasi di sekitar kolom 9 |
