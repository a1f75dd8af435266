"""The citation parser on the forms PMPRB documents use, and on any text at all.

Each case is a citation as institutions write it and the documents it must give
(fields that are null are left out of the expectation; spans are tested
separately). The cases cover regulations, decrees, circulars, letters, reports,
minutes, records, events, documents and applications; missing "Tahun", "Nomor :"
with spaces, numbers with slashes and dots, amendments in both directions, date
ranges, numbered and bulleted lists, URLs and abbreviations.
"""

from __future__ import annotations

import json
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pmprb.engine.citations import FIELDS, KINDS, from_record, from_records, parse, parse_json, parse_many

CASES = [
    ('Keputusan Bupati X Nomor: 061-402.011/17/2015 tentang Pembentukan Tim Reformasi Birokrasi Kabupaten X sebagaimana telah diubah dengan Keputusan Bupati X Nomor: 061-402.011/88/2018',
     [{'kind': 'keputusan', 'issuer': 'Bupati X', 'number': '061-402.011/17/2015', 'year': 2015, 'subject': 'Pembentukan Tim Reformasi Birokrasi Kabupaten X'}, {'kind': 'keputusan', 'issuer': 'Bupati X', 'number': '061-402.011/88/2018', 'year': 2018, 'amends': 0}]),
    ('Peraturan Bupati X Nomor 12 Tahun 2016 tentang Road Map Reformasi Birokrasi Kabupaten X Tahun 2016-2020',
     [{'kind': 'perkada', 'issuer': 'Bupati X', 'number': '12', 'year': 2016, 'period': [2016, 2020], 'subject': 'Road Map Reformasi Birokrasi Kabupaten X Tahun 2016-2020'}]),
    ('Rapat Koordinasi Tim PMPRB tanggal 3 Juni 2020 (undangan, daftar hadir, foto, notulen)',
     [{'kind': 'kegiatan', 'year': 2020, 'date': '2020-06-03', 'subject': 'Rapat Koordinasi Tim PMPRB'}]),
    ('Perbup Nomor 7 Tahun 2018 tentang Standar Operasional Prosedur Administrasi Pemerintahan',
     [{'kind': 'perkada', 'number': '7', 'year': 2018, 'subject': 'Standar Operasional Prosedur Administrasi Pemerintahan'}]),
    ('Surat Edaran Bupati X tanggal 4 Februari 2019 Nomor:700/215/404.050/2019 tentang Pengendalian Gratifikasi',
     [{'kind': 'surat_edaran', 'issuer': 'Bupati X', 'number': '700/215/404.050/2019', 'year': 2019, 'date': '2019-02-04', 'subject': 'Pengendalian Gratifikasi'}]),
    ('Peraturan Wali Kota Madiun Nomor 35 Tahun 2021 tentang Road Map Reformasi Birokrasi Kota Madiun Tahun 2021-2025',
     [{'kind': 'perkada', 'issuer': 'Wali Kota Madiun', 'number': '35', 'year': 2021, 'period': [2021, 2025], 'subject': 'Road Map Reformasi Birokrasi Kota Madiun Tahun 2021-2025'}]),
    ('Perwal Nomor 20 Tahun 2019 tentang Kode Etik Pegawai',
     [{'kind': 'perkada', 'number': '20', 'year': 2019, 'subject': 'Kode Etik Pegawai'}]),
    ('Pergub Jawa Timur No. 5 Th. 2017 ttg Sistem Pengendalian Intern Pemerintah',
     [{'kind': 'perkada', 'issuer': 'Jawa Timur', 'number': '5', 'year': 2017, 'subject': 'Sistem Pengendalian Intern Pemerintah'}]),
    ('Peraturan Daerah Kabupaten X Nomor 3 Tahun 2016 tentang Pembentukan dan Susunan Perangkat Daerah',
     [{'kind': 'perda', 'issuer': 'Kabupaten X', 'number': '3', 'year': 2016, 'subject': 'Pembentukan dan Susunan Perangkat Daerah'}]),
    ('Perda Nomor 11 Tahun 2016 tentang Pembentukan Perangkat Daerah sebagaimana telah diubah beberapa kali terakhir dengan Perda Nomor 4 Tahun 2021',
     [{'kind': 'perda', 'number': '11', 'year': 2016, 'subject': 'Pembentukan Perangkat Daerah'}, {'kind': 'perda', 'number': '4', 'year': 2021, 'amends': 0}]),
    ('Peraturan Bupati X Nomor 9 Tahun 2018 tentang Perubahan atas Peraturan Bupati X Nomor 12 Tahun 2016 tentang Road Map Reformasi Birokrasi Tahun 2016-2020',
     [{'kind': 'perkada', 'issuer': 'Bupati X', 'number': '9', 'year': 2018, 'subject': 'Perubahan atas Peraturan Bupati X Nomor 12 Tahun 2016 tentang Road Map Reformasi Birokrasi Tahun 2016-2020', 'amends': 1}, {'kind': 'perkada', 'issuer': 'Bupati X', 'number': '12', 'year': 2016, 'period': [2016, 2020], 'subject': 'Road Map Reformasi Birokrasi Tahun 2016-2020'}]),
    ('Peraturan Bupati X Nomor 30 Tahun 2020 tentang Perubahan Kedua atas Peraturan Bupati X Nomor 45 Tahun 2016 tentang Kedudukan, Susunan Organisasi, Tugas dan Fungsi',
     [{'kind': 'perkada', 'issuer': 'Bupati X', 'number': '30', 'year': 2020, 'subject': 'Perubahan Kedua atas Peraturan Bupati X Nomor 45 Tahun 2016 tentang Kedudukan, Susunan Organisasi, Tugas dan Fungsi', 'amends': 1}, {'kind': 'perkada', 'issuer': 'Bupati X', 'number': '45', 'year': 2016, 'subject': 'Kedudukan, Susunan Organisasi, Tugas dan Fungsi'}]),
    ('Keputusan Walikota Madiun Nomor : 188.45-405/12/2019 tentang Tim Reformasi Birokrasi',
     [{'kind': 'keputusan', 'issuer': 'Walikota Madiun', 'number': '188.45-405/12/2019', 'year': 2019, 'subject': 'Tim Reformasi Birokrasi'}]),
    ('SK Walikota Madiun Nomor 188.45/ 12 /2024 tanggal 15 Januari 2024 tentang Tim Asesor PMPRB',
     [{'kind': 'keputusan', 'issuer': 'Walikota Madiun', 'number': '188.45/ 12 /2024', 'year': 2024, 'date': '2024-01-15', 'subject': 'Tim Asesor PMPRB'}]),
    ('SK Tim RB Tahun 2019',
     [{'kind': 'keputusan', 'year': 2019, 'subject': 'Tim RB'}]),
    ('Surat Keputusan Kepala Dinas Kesehatan Nomor 800/123/404.201/2019 tentang Agen Perubahan',
     [{'kind': 'keputusan', 'issuer': 'Kepala Dinas Kesehatan', 'number': '800/123/404.201/2019', 'year': 2019, 'subject': 'Agen Perubahan'}]),
    ('Keputusan Sekretaris Daerah Nomor 800 / 45 / 2020 tentang Tim Penilai Kinerja',
     [{'kind': 'keputusan', 'issuer': 'Sekretaris Daerah', 'number': '800 / 45 / 2020', 'year': 2020, 'subject': 'Tim Penilai Kinerja'}]),
    ('Kepmen PANRB Nomor 14 Tahun 2014 tentang Pedoman Evaluasi Reformasi Birokrasi',
     [{'kind': 'keputusan', 'issuer': 'PANRB', 'number': '14', 'year': 2014, 'subject': 'Pedoman Evaluasi Reformasi Birokrasi'}]),
    ('Peraturan Menteri PANRB Nomor 26 Tahun 2020 tentang Pedoman Evaluasi Pelaksanaan Reformasi Birokrasi',
     [{'kind': 'perkada', 'issuer': 'Menteri PANRB', 'number': '26', 'year': 2020, 'subject': 'Pedoman Evaluasi Pelaksanaan Reformasi Birokrasi'}]),
    ('Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik',
     [{'kind': 'perda', 'number': '25', 'year': 2009, 'subject': 'Pelayanan Publik'}]),
    ('UU No. 14 Tahun 2008 tentang Keterbukaan Informasi Publik',
     [{'kind': 'perda', 'number': '14', 'year': 2008, 'subject': 'Keterbukaan Informasi Publik'}]),
    ('PP Nomor 60 Tahun 2008 tentang Sistem Pengendalian Intern Pemerintah',
     [{'kind': 'perda', 'number': '60', 'year': 2008, 'subject': 'Sistem Pengendalian Intern Pemerintah'}]),
    ('Surat Bupati X Nomor 065/123/404.011/2020 perihal Penyampaian Rencana Aksi Tindak Lanjut',
     [{'kind': 'surat', 'issuer': 'Bupati X', 'number': '065/123/404.011/2020', 'year': 2020, 'subject': 'Penyampaian Rencana Aksi Tindak Lanjut'}]),
    ('Surat Tugas Nomor 094/55/2021 tanggal 2 Maret 2021',
     [{'kind': 'surat', 'number': '094/55/2021', 'year': 2021, 'date': '2021-03-02'}]),
    ('Nota Dinas Kepala Bagian Organisasi Nomor 061/12/2020 tanggal 10 Pebruari 2020 perihal Usulan Perubahan Organisasi',
     [{'kind': 'surat', 'issuer': 'Kepala Bagian Organisasi', 'number': '061/12/2020', 'year': 2020, 'date': '2020-02-10', 'subject': 'Usulan Perubahan Organisasi'}]),
    ('Pengumuman Seleksi Terbuka Jabatan Pimpinan Tinggi Pratama Tahun 2019',
     [{'kind': 'pengumuman', 'year': 2019, 'period': [2019, 2019], 'subject': 'Pengumuman Seleksi Terbuka Jabatan Pimpinan Tinggi Pratama Tahun 2019'}]),
    ('Pengumuman Nomor 800/07/Pansel/2019 tentang Hasil Seleksi Administrasi',
     [{'kind': 'pengumuman', 'number': '800/07/Pansel/2019', 'year': 2019, 'subject': 'Hasil Seleksi Administrasi'}]),
    ('Perjanjian Kinerja Tahun 2022',
     [{'kind': 'perjanjian', 'year': 2022, 'period': [2022, 2022], 'subject': 'Perjanjian Kinerja Tahun 2022'}]),
    ('Pakta Integritas pegawai tanggal 2 Januari 2022',
     [{'kind': 'perjanjian', 'year': 2022, 'date': '2022-01-02', 'subject': 'Pakta Integritas pegawai'}]),
    ('Laporan Kinerja Instansi Pemerintah (LKjIP) Tahun 2021',
     [{'kind': 'laporan', 'year': 2021, 'period': [2021, 2021], 'subject': 'Laporan Kinerja Instansi Pemerintah (LKjIP) Tahun 2021'}]),
    ('Laporan Hasil Evaluasi Kelembagaan tanggal 5 Nopember 2019',
     [{'kind': 'laporan', 'year': 2019, 'date': '2019-11-05', 'subject': 'Laporan Hasil Evaluasi Kelembagaan'}]),
    ('LHP Inspektorat Nomor 700/05/LHP/2020 tanggal 12 Agustus 2020',
     [{'kind': 'laporan', 'number': '700/05/LHP/2020', 'year': 2020, 'date': '2020-08-12', 'subject': 'LHP Inspektorat'}]),
    ('Notulen Rapat Tim Reformasi Birokrasi tgl. 20 Mei 2021',
     [{'kind': 'notulen', 'year': 2021, 'date': '2021-05-20', 'subject': 'Notulen Rapat Tim Reformasi Birokrasi'}]),
    ('Notulensi rapat konsensus PMPRB, 14 s.d. 15 Oktober 2020',
     [{'kind': 'notulen', 'year': 2020, 'date': '2020-10-14', 'date_end': '2020-10-15', 'subject': 'Notulensi rapat konsensus PMPRB'}]),
    ('Berita Acara Rapat Konsensus Nomor 005/BA/PMPRB/2021 tanggal 21 Mei 2021',
     [{'kind': 'berita_acara', 'number': '005/BA/PMPRB/2021', 'year': 2021, 'date': '2021-05-21', 'subject': 'Berita Acara Rapat Konsensus'}]),
    ('Berita Acara Serah Terima Nomor: 032/BA/2018',
     [{'kind': 'berita_acara', 'number': '032/BA/2018', 'year': 2018, 'subject': 'Berita Acara Serah Terima'}]),
    ('Sosialisasi Road Map Reformasi Birokrasi 14 s.d. 15 Oktober 2020',
     [{'kind': 'kegiatan', 'year': 2020, 'date': '2020-10-14', 'date_end': '2020-10-15', 'subject': 'Sosialisasi Road Map Reformasi Birokrasi'}]),
    ('Bimtek Asesor PMPRB tanggal 14 Oktober s.d. 2 November 2020 di Aula Bappeda',
     [{'kind': 'kegiatan', 'year': 2020, 'date': '2020-10-14', 'date_end': '2020-11-02', 'subject': 'Bimtek Asesor PMPRB'}]),
    ('Workshop penyusunan SOP, 30 Desember s.d. 2 Januari 2020',
     [{'kind': 'kegiatan', 'year': 2019, 'date': '2019-12-30', 'date_end': '2020-01-02', 'subject': 'Workshop penyusunan SOP'}]),
    ('Focus Group Discussion Penyusunan Peta Proses Bisnis tanggal 03-06-2020',
     [{'kind': 'kegiatan', 'year': 2020, 'date': '2020-06-03', 'subject': 'Focus Group Discussion Penyusunan Peta Proses Bisnis'}]),
    ('FGD Agen Perubahan tgl 3/6/2021',
     [{'kind': 'kegiatan', 'year': 2021, 'date': '2021-06-03', 'subject': 'FGD Agen Perubahan'}]),
    ('Sosialisasi Whistle Blowing System tanggal 2021-03-15',
     [{'kind': 'kegiatan', 'year': 2021, 'date': '2021-03-15', 'subject': 'Sosialisasi Whistle Blowing System'}]),
    ('Pelatihan Pelayanan Prima 7 - 9 September 2021',
     [{'kind': 'kegiatan', 'year': 2021, 'date': '2021-09-07', 'date_end': '2021-09-09', 'subject': 'Pelatihan Pelayanan Prima'}]),
    ('Rapat Koordinasi Tim PMPRB bulan Juni 2020',
     [{'kind': 'kegiatan', 'year': 2020, 'subject': 'Rapat Koordinasi Tim PMPRB'}]),
    ('Daftar hadir, undangan dan foto kegiatan sosialisasi kode etik tanggal 12 Juli 2021',
     [{'kind': 'kegiatan', 'year': 2021, 'date': '2021-07-12', 'subject': 'Daftar hadir, undangan dan foto kegiatan sosialisasi kode etik'}]),
    ('Pencanangan Zona Integritas tanggal 17 Agustus 2019',
     [{'kind': 'kegiatan', 'year': 2019, 'date': '2019-08-17', 'subject': 'Pencanangan Zona Integritas'}]),
    ('Road Map RB Kota Madiun 2020-2024 https://jdih.madiunkota.go.id/perwal-7-2018.pdf',
     [{'kind': 'dokumen', 'period': [2020, 2024], 'subject': 'Road Map RB Kota Madiun 2020-2024'}]),
    ('Dokumen Road Map Reformasi Birokrasi periode 2016 s.d. 2020',
     [{'kind': 'dokumen', 'period': [2016, 2020], 'subject': 'Dokumen Road Map Reformasi Birokrasi periode 2016 s.d. 2020'}]),
    ('Renstra Dinas Kesehatan Tahun 2019-2023',
     [{'kind': 'dokumen', 'period': [2019, 2023], 'subject': 'Renstra Dinas Kesehatan Tahun 2019-2023'}]),
    ('SOP Penanganan Pengaduan Masyarakat Nomor 12/SOP/2020',
     [{'kind': 'dokumen', 'number': '12/SOP/2020', 'year': 2020, 'subject': 'SOP Penanganan Pengaduan Masyarakat'}]),
    ('Standar Pelayanan Perizinan Tahun 2021',
     [{'kind': 'dokumen', 'year': 2021, 'period': [2021, 2021], 'subject': 'Standar Pelayanan Perizinan Tahun 2021'}]),
    ('Maklumat Pelayanan Dinas Kependudukan tanggal 2 Januari 2020',
     [{'kind': 'dokumen', 'year': 2020, 'date': '2020-01-02', 'subject': 'Maklumat Pelayanan Dinas Kependudukan'}]),
    ('Peta Proses Bisnis Pemerintah Kabupaten X',
     [{'kind': 'dokumen', 'subject': 'Peta Proses Bisnis Pemerintah Kabupaten X'}]),
    ('Rancangan Peraturan Bupati tentang Road Map Reformasi Birokrasi 2021-2025',
     [{'kind': 'dokumen', 'period': [2021, 2025], 'subject': 'Road Map Reformasi Birokrasi 2021-2025'}]),
    ('Draft Keputusan Bupati tentang Tim Pengelola Pengaduan',
     [{'kind': 'dokumen', 'subject': 'Tim Pengelola Pengaduan'}]),
    ('Aplikasi e-Kinerja (https://ekinerja.madiunkota.go.id)',
     [{'kind': 'aplikasi', 'subject': 'Aplikasi e-Kinerja'}]),
    ('e-SAKIP Kota Madiun',
     [{'kind': 'aplikasi', 'subject': 'e-SAKIP Kota Madiun'}]),
    ('Website resmi www.madiunkota.go.id/ppid',
     [{'kind': 'aplikasi', 'subject': 'Website resmi'}]),
    ('Screenshot aplikasi SIMPEG',
     [{'kind': 'aplikasi', 'subject': 'Screenshot aplikasi SIMPEG'}]),
    ('https://lapor.go.id',
     [{'kind': 'lainnya', 'subject': 'https://lapor.go.id'}]),
    ('Perwal No. 7 Th. 2018 ttg Road Map RB 2016 s.d. 2020 (https://x.go.id/a/2018/7.pdf)',
     [{'kind': 'perkada', 'number': '7', 'year': 2018, 'period': [2016, 2020], 'subject': 'Road Map RB 2016 s.d. 2020'}]),
    ('Perbup 7/2018 tentang SOP',
     [{'kind': 'perkada', 'number': '7/2018', 'year': 2018, 'subject': 'SOP'}]),
    ('1. Perbup Nomor 7 Tahun 2018 tentang SOP 2. SK Tim RB Tahun 2019 3. Notulen rapat tgl 03-06-2020',
     [{'kind': 'perkada', 'number': '7', 'year': 2018, 'subject': 'SOP'}, {'kind': 'keputusan', 'year': 2019, 'subject': 'Tim RB'}, {'kind': 'notulen', 'year': 2020, 'date': '2020-06-03', 'subject': 'Notulen rapat'}]),
    ('a. Keputusan Bupati Nomor 5 Tahun 2019 tentang Tim PMPRB b. Rapat Tim PMPRB tanggal 2 April 2019',
     [{'kind': 'keputusan', 'issuer': 'Bupati', 'number': '5', 'year': 2019, 'subject': 'Tim PMPRB'}, {'kind': 'kegiatan', 'year': 2019, 'date': '2019-04-02', 'subject': 'Rapat Tim PMPRB'}]),
    ('Perwal Nomor 7 Tahun 2018 dan Perwal Nomor 8 Tahun 2019 tentang Standar Pelayanan',
     [{'kind': 'perkada', 'number': '7', 'year': 2018}, {'kind': 'perkada', 'number': '8', 'year': 2019, 'subject': 'Standar Pelayanan'}]),
    ('Keputusan Bupati X Nomor 10 Tahun 2017 tentang Agen Perubahan; Sosialisasi agen perubahan tanggal 3 Maret 2017',
     [{'kind': 'keputusan', 'issuer': 'Bupati X', 'number': '10', 'year': 2017, 'subject': 'Agen Perubahan'}, {'kind': 'kegiatan', 'year': 2017, 'date': '2017-03-03', 'subject': 'Sosialisasi agen perubahan'}]),
    ('Telah ditetapkan dengan Peraturan Bupati Nomor 15 Tahun 2017 tentang Kebijakan Penanganan Gratifikasi',
     [{'kind': 'perkada', 'issuer': 'Bupati', 'number': '15', 'year': 2017, 'subject': 'Kebijakan Penanganan Gratifikasi'}]),
    ('tidak ada',
     [{'kind': 'lainnya', 'subject': 'tidak ada'}]),
    ('Lihat lampiran',
     [{'kind': 'lainnya', 'subject': 'Lihat lampiran'}]),
    ('Keputusan Bupati X Nomor 061/17/2015 tentang Tim RB sebagaimana telah diubah dengan Keputusan Bupati X Nomor 061/88/2018 sebagaimana telah diubah dengan Keputusan Bupati X Nomor 061/12/2021',
     [{'kind': 'keputusan', 'issuer': 'Bupati X', 'number': '061/17/2015', 'year': 2015, 'subject': 'Tim RB'}, {'kind': 'keputusan', 'issuer': 'Bupati X', 'number': '061/88/2018', 'year': 2018, 'amends': 0}, {'kind': 'keputusan', 'issuer': 'Bupati X', 'number': '061/12/2021', 'year': 2021, 'amends': 1}]),
    ('Peraturan Bupati Nomor    Tahun 2020 tentang Whistle Blowing System',
     [{'kind': 'perkada', 'issuer': 'Bupati', 'year': 2020, 'subject': 'Whistle Blowing System'}]),
    ('KEPUTUSAN BUPATI MADIUN NOMOR 188/45/KPTS/402.013/2020 TENTANG TIM PENGENDALI GRATIFIKASI',
     [{'kind': 'keputusan', 'issuer': 'BUPATI MADIUN', 'number': '188/45/KPTS/402.013/2020', 'year': 2020, 'subject': 'TIM PENGENDALI GRATIFIKASI'}]),
    ('Keputusan Inspektur Nomor 700/15/2021 tanggal 31 Pebruari 2021 tentang Tim Audit',
     [{'kind': 'keputusan', 'issuer': 'Inspektur', 'number': '700/15/2021', 'year': 2021, 'subject': 'Tim Audit'}]),
    ('Perbup Madiun No: 12/2016 ttg Road Map RB Thn 2016-2020, ditetapkan tanggal 3 Mei 2016',
     [{'kind': 'perkada', 'issuer': 'Madiun', 'number': '12/2016', 'year': 2016, 'date': '2016-05-03', 'period': [2016, 2020], 'subject': 'Road Map RB Thn 2016-2020'}]),
    ('Undangan rapat tanggal 5 Mei 2021',
     [{'kind': 'kegiatan', 'year': 2021, 'date': '2021-05-05', 'subject': 'Undangan rapat'}]),
    ('https://jdih.madiunkota.go.id/perwal-7-2018.pdf',
     [{'kind': 'lainnya', 'subject': 'https://jdih.madiunkota.go.id/perwal-7-2018.pdf'}]),
    ('Peraturan Wali Kota (Perwal) Madiun Nomor 7 Tahun 2018 tentang Standar Pelayanan',
     [{'kind': 'perkada', 'issuer': 'Wali Kota Madiun', 'number': '7', 'year': 2018, 'subject': 'Standar Pelayanan'}]),
    ('PERWAL NO 7 TH 2018',
     [{'kind': 'perkada', 'number': '7', 'year': 2018}]),
    ('Perbup Nmr. 3 Tahun 2019 Tentang Maklumat Pelayanan',
     [{'kind': 'perkada', 'number': '3', 'year': 2019, 'subject': 'Maklumat Pelayanan'}]),
    ('Keputusan Bupati Nomor 188.45/12/KEP/2019 tentang Tim PMPRB, ditetapkan di Madiun pada tanggal 2 Januari 2019',
     [{'kind': 'keputusan', 'issuer': 'Bupati', 'number': '188.45/12/KEP/2019', 'year': 2019, 'date': '2019-01-02', 'subject': 'Tim PMPRB'}]),
    ('Surat Edaran Sekda No. 800/01/SE/2022 tentang Pelaksanaan Survei Kepuasan Masyarakat Tahun 2022',
     [{'kind': 'surat_edaran', 'issuer': 'Sekda', 'number': '800/01/SE/2022', 'year': 2022, 'period': [2022, 2022], 'subject': 'Pelaksanaan Survei Kepuasan Masyarakat Tahun 2022'}]),
    ('SE Bupati Nomor 700/12/2020 tentang Larangan Menerima Gratifikasi',
     [{'kind': 'surat_edaran', 'issuer': 'Bupati', 'number': '700/12/2020', 'year': 2020, 'subject': 'Larangan Menerima Gratifikasi'}]),
    ('Laporan Monitoring dan Evaluasi Pelaksanaan Road Map Semester I Tahun 2021',
     [{'kind': 'laporan', 'year': 2021, 'period': [2021, 2021], 'subject': 'Laporan Monitoring dan Evaluasi Pelaksanaan Road Map Semester I Tahun 2021'}]),
    ('Hasil Survei Kepuasan Masyarakat Triwulan III Tahun 2021',
     [{'kind': 'laporan', 'year': 2021, 'period': [2021, 2021], 'subject': 'Hasil Survei Kepuasan Masyarakat Triwulan III Tahun 2021'}]),
    ('Peraturan Bupati X Nomor 5 Tahun 2020 tentang Kode Etik (Perubahan atas Peraturan Bupati X Nomor 20 Tahun 2015)',
     [{'kind': 'perkada', 'issuer': 'Bupati X', 'number': '5', 'year': 2020, 'subject': 'Kode Etik', 'amends': 1}, {'kind': 'perkada', 'issuer': 'Bupati X', 'number': '20', 'year': 2015}]),
    ('1) Perwal Nomor 7 Tahun 2018\n2) Rapat Tim tanggal 3 Juni 2020',
     [{'kind': 'perkada', 'number': '7', 'year': 2018}, {'kind': 'kegiatan', 'year': 2020, 'date': '2020-06-03', 'subject': 'Rapat Tim'}]),
    ('- Perbup Nomor 1 Tahun 2020 tentang SOP\n- Notulen rapat tanggal 2 Februari 2020',
     [{'kind': 'perkada', 'number': '1', 'year': 2020, 'subject': 'SOP'}, {'kind': 'notulen', 'year': 2020, 'date': '2020-02-02', 'subject': 'Notulen rapat'}]),
    ('Keputusan Bupati X Nomor 5 Tahun 2019\ntentang Tim PMPRB',
     [{'kind': 'keputusan', 'issuer': 'Bupati X', 'number': '5', 'year': 2019, 'subject': 'Tim PMPRB'}]),
    ('Perbup Nomor 1 Tahun 2020 tentang SOP\nNotulen rapat tanggal 2 Februari 2020',
     [{'kind': 'perkada', 'number': '1', 'year': 2020, 'subject': 'SOP'}, {'kind': 'notulen', 'year': 2020, 'date': '2020-02-02', 'subject': 'Notulen rapat'}]),
    ('Perbup Nomor 12 Tahun 2016 tentang Road Map Reformasi Birokrasi Tahun 2016-2020 sebagaimana telah diubah dengan Perbup Nomor 9 Tahun 2021 tentang Perubahan Road Map Reformasi Birokrasi Tahun 2016-2024',
     [{'kind': 'perkada', 'number': '12', 'year': 2016, 'period': [2016, 2020], 'subject': 'Road Map Reformasi Birokrasi Tahun 2016-2020'}, {'kind': 'perkada', 'number': '9', 'year': 2021, 'period': [2016, 2024], 'subject': 'Perubahan Road Map Reformasi Birokrasi Tahun 2016-2024', 'amends': 0}]),
    ('Surat Edaran Nomor 800/1/2021 tanggal 1-3-2021 perihal Jam Kerja',
     [{'kind': 'surat_edaran', 'number': '800/1/2021', 'year': 2021, 'date': '2021-03-01', 'subject': 'Jam Kerja'}]),
    ('Apel pagi 03.05.2021',
     [{'kind': 'kegiatan', 'year': 2021, 'date': '2021-05-03', 'subject': 'Apel pagi'}]),
    ('Kegiatan Internalisasi Nilai Organisasi tanggal 3 s/d 5 Agustus 2021',
     [{'kind': 'kegiatan', 'year': 2021, 'date': '2021-08-03', 'date_end': '2021-08-05', 'subject': 'Kegiatan Internalisasi Nilai Organisasi'}]),
    ('Sosialisasi SP4N-LAPOR! tanggal 12 dan 13 Oktober 2021',
     [{'kind': 'kegiatan', 'year': 2021, 'date': '2021-10-12', 'date_end': '2021-10-13', 'subject': 'Sosialisasi SP4N-LAPOR!'}]),
    ('Keputusan Bupati X Nomor 17 Tahun 2018 tentang Tim PMPRB Tahun 2018; Keputusan Bupati X Nomor 3 Tahun 2019 tentang Tim PMPRB Tahun 2019',
     [{'kind': 'keputusan', 'issuer': 'Bupati X', 'number': '17', 'year': 2018, 'period': [2018, 2018], 'subject': 'Tim PMPRB Tahun 2018'}, {'kind': 'keputusan', 'issuer': 'Bupati X', 'number': '3', 'year': 2019, 'period': [2019, 2019], 'subject': 'Tim PMPRB Tahun 2019'}]),
]

def _read(docs: list[dict]) -> list[dict]:
    return [{k: v for k, v in d.items() if v is not None and k != "span"} for d in docs]


def test_there_are_at_least_sixty_citations():
    assert len(CASES) >= 60
    assert len({k for _, docs in CASES for d in docs for k in [d["kind"]]}) == len(KINDS)


@pytest.mark.parametrize("text,expected", CASES, ids=[f"{i:02d}" for i in range(len(CASES))])
def test_citation(text, expected):
    docs = parse(text, strict=True)
    assert _read(docs) == expected
    for i, d in enumerate(docs):
        assert tuple(d) == FIELDS
        lo, hi = d["span"]
        assert 0 <= lo < hi <= len(text)
        assert text[lo:hi] == text[lo:hi].strip()
        if d["amends"] is not None:
            assert d["amends"] != i and 0 <= d["amends"] < len(docs)


def test_spans_point_at_each_document():
    text = ("Keputusan Bupati X Nomor: 061-402.011/17/2015 tentang Pembentukan Tim Reformasi Birokrasi "
            "sebagaimana telah diubah dengan Keputusan Bupati X Nomor: 061-402.011/88/2018")
    a, b = parse(text)
    assert text[slice(*a["span"])] == "Keputusan Bupati X Nomor: 061-402.011/17/2015 tentang Pembentukan Tim Reformasi Birokrasi"
    assert text[slice(*b["span"])] == "Keputusan Bupati X Nomor: 061-402.011/88/2018"
    text = "1. Perbup Nomor 7 Tahun 2018 tentang SOP 2. Rapat Tim tanggal 3 Juni 2020 (undangan, foto)"
    a, b = parse(text)
    assert text[slice(*a["span"])] == "Perbup Nomor 7 Tahun 2018 tentang SOP"
    assert text[slice(*b["span"])] == "Rapat Tim tanggal 3 Juni 2020 (undangan, foto)"
    # "Perubahan atas": the amended document is named inside the amendment's title.
    text = "Perbup Nomor 9 Tahun 2018 tentang Perubahan atas Perbup Nomor 12 Tahun 2016 tentang Road Map"
    a, b = parse(text)
    assert text[slice(*a["span"])] == text and text[slice(*b["span"])] == "Perbup Nomor 12 Tahun 2016 tentang Road Map"


def test_the_json_shape_has_exactly_the_documented_keys_with_null_where_absent():
    out = json.loads(json.dumps(parse_json("Perbup Nomor 7 Tahun 2018 tentang SOP")))
    assert out == {"documents": [{"kind": "perkada", "issuer": None, "number": "7", "year": 2018, "date": None,
                                  "date_end": None, "period": None, "subject": "SOP", "amends": None,
                                  "span": [0, 37]}]}
    assert parse_json("") == {"documents": []} and parse_json("   \n ") == {"documents": []}
    assert parse(None) == []


def test_old_month_spellings_and_abbreviations():
    assert parse("Rapat tanggal 10 Pebruari 2020")[0]["date"] == "2020-02-10"
    assert parse("Rapat tanggal 10 Nopember 2020")[0]["date"] == "2020-11-10"
    assert parse("Rapat tgl 10 Agt 2020")[0]["date"] == "2020-08-10"
    assert parse("Rapat tgl. 1 Des. 2020")[0]["date"] == "2020-12-01"
    assert parse("Rapat 31 Pebruari 2020")[0]["date"] is None          # not a date: never guessed


def test_parse_many_indexes_amendments_in_the_whole_list():
    docs = parse_many(["Rapat Tim tanggal 3 Juni 2020",
                       "Keputusan Nomor 1 Tahun 2015 sebagaimana telah diubah dengan Keputusan Nomor 2 Tahun 2018"])
    assert [d["kind"] for d in docs] == ["kegiatan", "keputusan", "keputusan"]
    assert docs[2]["amends"] == 1


def test_a_stored_record_becomes_documents_with_its_own_number_and_date():
    (doc,) = from_record(number="188.45/12/2024", title="SK Tim Reformasi Birokrasi", document_date="2024-01-15")
    assert (doc["kind"], doc["number"], doc["year"], doc["date"], doc["subject"]) == \
        ("keputusan", "188.45/12/2024", 2024, "2024-01-15", "Tim Reformasi Birokrasi")
    import datetime
    (doc,) = from_record(number=None, title="Road Map RB 2020-2024", document_date=datetime.date(2020, 3, 1))
    assert (doc["kind"], doc["period"], doc["date"], doc["year"]) == ("dokumen", [2020, 2024], "2020-03-01", 2020)
    docs = from_record(number="9", title="Perbup Nomor 9 Tahun 2021 tentang Perubahan atas Perbup Nomor 12 Tahun 2016 "
                                         "tentang Road Map 2016-2020", document_date=None)
    assert [d["number"] for d in docs] == ["9", "12"] and docs[0]["amends"] == 1
    (doc,) = from_record(number="X/1/2020", title=None, document_date="bukan tanggal")
    assert (doc["kind"], doc["number"], doc["year"], doc["date"]) == ("lainnya", "X/1/2020", 2020, None)


def test_several_stored_records_make_one_list_for_the_evaluator():
    docs = from_records([{"number": "1/2020", "title": "Rapat Tim RB", "document_date": "2020-06-03"},
                         ("9", "Perbup Nomor 9 Tahun 2021 tentang Perubahan atas Perbup Nomor 12 Tahun 2016 tentang "
                               "Road Map 2016-2020", None)])
    assert [(d["kind"], d["number"], d["amends"]) for d in docs] == \
        [("kegiatan", "1/2020", None), ("perkada", "9", 2), ("perkada", "12", None)]
    from pmprb.engine.evaluator import Evaluator
    from pmprb.engine.instrument import load_instrument

    e = Evaluator(load_instrument("pmprb-2014"), "plain")
    d = e.evaluate({"MP.2.a": "Ya"}, documents={"MP.2.a": docs}, period=2022).decisions["MP.2.a"]
    assert d.input["evidence"] == 3 and list(d.result.flags) == ["evidence_outdated"]


def test_a_memo_parses_a_shared_document_once_and_hands_out_copies():
    amended = ("9", "Perbup Nomor 9 Tahun 2021 tentang Perubahan atas Perbup Nomor 12 Tahun 2016 tentang "
                    "Road Map 2016-2020", None)
    first = ("1/2020", "Rapat Tim RB", "2020-06-03")
    memo: dict = {}
    a = from_records([first, amended], memo)
    b = from_records([amended], memo)
    assert len(memo) == 2
    assert a == from_records([first, amended]) and b == from_records([amended])
    assert [d["amends"] for d in b] == [1, None]          # rebased per list, not shared
    b[1]["period"].append(2099)
    b[0]["span"][0] = -1
    assert from_records([amended], memo) == from_records([amended])
    assert from_records([list(first), ("x", "Rapat", ["not", "a", "date"])], memo) == \
        from_records([first, ("x", "Rapat", ["not", "a", "date"])])     # lists and unhashable fields too


_WORDS = st.sampled_from([
    "Perbup", "Peraturan", "Bupati", "Keputusan", "SK", "Surat", "Edaran", "Nomor", "Nomor :", "No.", "Tahun", "Th.",
    "2016", "-", "2020", "s.d.", "tentang", "perihal", "Perubahan", "atas", "sebagaimana", "telah", "diubah",
    "dengan", "tanggal", "tgl", "3", "31", "Juni", "Pebruari", "Rapat", "(", ")", ",", ";", "dan", "1.", "2.", "a.",
    "b.", "\n", "\n\n", "/", "061-402.011/17/2015", "https://a.b/c?d=1", "www.x.go.id", "e", "²", "١٢", "Road",
    "Map", "Ya", " ", "  ", "\t", "”", "…"])


@settings(max_examples=2500, deadline=None)
@given(st.one_of(st.text(), st.lists(_WORDS, max_size=80).map(" ".join), st.lists(_WORDS, max_size=80).map("".join)))
def test_any_text_parses_without_an_exception(text):
    docs = parse(text, strict=True)
    for i, d in enumerate(docs):
        assert tuple(d) == FIELDS and d["kind"] in KINDS
        lo, hi = d["span"]
        assert 0 <= lo <= hi <= len(text)
        assert d["amends"] is None or (d["amends"] != i and 0 <= d["amends"] < len(docs))
        assert d["year"] is None or 1900 <= d["year"] <= 2100
        if d["date_end"] is not None:
            assert d["date"] is not None and d["date_end"] > d["date"]
    json.dumps(docs)


N = 200_000
HOSTILE = {
    "nomor": "Nomor " * (N // 6),
    "digits": "1" * N,
    "spaces then a date": "1" + " " * N + "Juni 2020",
    "open parentheses": "(" * N,
    "parenthesised words": "(a)" * (N // 3),
    "list markers": "1. " * (N // 3),
    "nested amendments": "Perbup Nomor 1 Tahun 2020 tentang Perubahan atas " * (N // 50),
    "amendment chain": "Keputusan Nomor 1/2020 sebagaimana telah diubah dengan " * (N // 56),
    "date ranges": "tanggal 1 Januari 2020 s.d. " * (N // 28),
    "urls": "Perbup 1/2020 http://a.b/c " * (N // 27),
    "slashes": "Nomor " + "1/" * (N // 2),
    "years": "Tahun 2020 " * (N // 11),
    "keywords": "Rapat dan " * (N // 10),
    "lines": "\nPerbup" * (N // 7),
    "title with parentheses": "Laporan " + "(x, y) " * (N // 7),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_200_kb_hostile_text_parses_in_bounded_time(name):
    text = (HOSTILE[name] * 2)[:N] if len(HOSTILE[name]) < N else HOSTILE[name]
    assert len(text) >= N
    t0 = time.process_time()
    docs = parse(text, strict=True)
    took = time.process_time() - t0
    # Linear: about 0.3 s on the development machine; catastrophic backtracking would take minutes.
    assert took < 5, f"{name}: {took:.1f} s"
    assert all(tuple(d) == FIELDS for d in docs)
